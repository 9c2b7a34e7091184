import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '@stevedore/domain';
import { bodyOf, statusOf } from '@stevedore/internal-http';
import {
  ContainerIo,
  ImageBuilder,
  RUNTIME_HEADERS,
  archivePathOf,
  buildRequestOf,
  logsOptionsOf,
  putArchiveOptionsOf,
  routeOf,
  statHeaderOf,
} from '@stevedore/runtime-http';

type Route = (
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  url: URL,
  signal: AbortSignal,
) => Promise<void>;

/** The streaming routes, by `<method> <kind>` (see `@stevedore/runtime-http`'s protocol.ts). */
function routesOf(io: ContainerIo, builder: ImageBuilder): Record<string, Route> {
  return {
    'POST build': async (req, res, _id, _url, signal) => {
      const request = buildRequestOf(req.headers[RUNTIME_HEADERS.build]);
      const config = req.headers[RUNTIME_HEADERS.registryConfig];
      const context = {
        body: req,
        ...(typeof config === 'string' ? { registryConfig: config } : {}),
      };
      const body = await builder.build(request, context, signal);
      await stream(res, { 'content-type': 'application/json' }, body);
    },
    'GET logs': async (_req, res, id, url, signal) => {
      const { tty, body } = await io.logs(id, logsOptionsOf(url), signal);
      await stream(res, { [RUNTIME_HEADERS.tty]: tty ? '1' : '0' }, body);
    },
    'HEAD archive': async (_req, res, id, url) => {
      const stat = await io.statPath(id, archivePathOf(url));
      res.writeHead(200, { [RUNTIME_HEADERS.stat]: statHeaderOf(stat) }).end();
    },
    'GET archive': async (_req, res, id, url, signal) => {
      const { stat, body } = await io.getArchive(id, archivePathOf(url), signal);
      const headers = { [RUNTIME_HEADERS.stat]: statHeaderOf(stat) };
      await stream(res, { ...headers, 'content-type': 'application/x-tar' }, body);
    },
    'PUT archive': async (req, res, id, url, signal) => {
      await io.putArchive(id, putArchiveOptionsOf(url), req, signal);
      res.writeHead(204).end();
    },
    'GET export': async (_req, res, id, _url, signal) => {
      const tar = await io.export(id, signal);
      await stream(res, { 'content-type': 'application/x-tar' }, tar);
    },
  };
}

/**
 * createContainerIoHttpHandler serves a {@link ContainerIo}'s logs, `docker cp` and export, and
 * the {@link ImageBuilder}'s builds, over the runtime's internal protocol, streamed with backpressure and never buffered. A caller that
 * goes away aborts the work; an error before the first byte is the `{code, message}` JSON the
 * client turns back into the same DomainError. Attach and exec are upgrades (see
 * container-io-upgrade.ts).
 */
export function createContainerIoHttpHandler(
  io: ContainerIo,
  builder: ImageBuilder,
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = routesOf(io, builder);
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://runtime');
    const route = routeOf(url.pathname);
    const serve = route && routes[`${req.method} ${route.kind}`];
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const served = serve
      ? serve(req, res, route.id, url, gone.signal)
      : Promise.reject(DomainError.notFound(`no route ${req.method} ${url.pathname}`));
    void served.catch((err: unknown) => answerError(req, res, err));
  };
}

async function stream(
  res: ServerResponse,
  headers: Record<string, string>,
  body: Readable,
): Promise<void> {
  res.writeHead(200, headers);
  await pipeline(body, res);
}

function answerError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (res.headersSent) return void res.destroy(); // mid-stream: cutting is the only signal left
  const body = bodyOf(err);
  // A HEAD answer has no body: the error rides in a header, so its message is not lost.
  const header = req.method === 'HEAD' ? { [RUNTIME_HEADERS.error]: base64(body) } : {};
  res.writeHead(statusOf(err), { 'content-type': 'application/json', ...header }).end(body);
}

const base64 = (text: string) => Buffer.from(text).toString('base64');
