import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import {
  ARCHIVE_PATHS,
  Archives,
  MAX_REQUEST_BYTES,
  importRequestOf,
  loadRequestOf,
  saveRequestOf,
} from '@stevedore/exporter-http';
import { DomainError } from '@stevedore/domain';
import { bodyOf, statusOf } from '@stevedore/internal-http';

type Route = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  signal: AbortSignal,
) => Promise<void>;

/**
 * createArchivesHttpHandler serves an {@link Archives} over the exporter's internal protocol
 * (see `@stevedore/exporter-http`'s protocol.ts): archives stream in, tars stream out, never
 * buffered. A caller that goes away aborts the work.
 */
export function createArchivesHttpHandler(
  archives: Archives,
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Record<string, Route> = {
    [`POST ${ARCHIVE_PATHS.load}`]: async (req, res, url, signal) =>
      json(res, await archives.load(req, loadRequestOf(url), signal)),
    [`POST ${ARCHIVE_PATHS.import}`]: async (req, res, url, signal) =>
      json(res, await archives.importRootfs(req, importRequestOf(url), signal)),
    [`POST ${ARCHIVE_PATHS.save}`]: async (req, res, _url, signal) => {
      const tar = await archives.save(saveRequestOf(await smallBody(req)), signal);
      res.writeHead(200, { 'content-type': 'application/x-tar' });
      await pipeline(tar, res);
    },
  };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://exporter');
    const route = routes[`${req.method} ${url.pathname}`];
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const served = route
      ? route(req, res, url, gone.signal)
      : Promise.reject(DomainError.notFound(`no route ${req.method} ${url.pathname}`));
    void served.catch((err: unknown) => {
      if (res.headersSent) return void res.destroy(); // mid-stream: cutting is the only signal left
      res.writeHead(statusOf(err), { 'content-type': 'application/json' }).end(bodyOf(err));
    });
  };
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** smallBody reads a JSON request body, refusing one larger than any request needs. */
async function smallBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Not destroyed on a refusal, so the error answer still reaches the caller.
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES)
      throw DomainError.invalidArgument(`a request body is limited to ${MAX_REQUEST_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
