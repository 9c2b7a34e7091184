import { Injectable } from '@nestjs/common';
import { pipeline } from 'node:stream/promises';
import { Digest, DomainError } from '@stevedore/domain';
import { RegistryContext, RegistryHandler, acceptedTypes, sendJson } from './registry-context';
import { RegistryError } from './registry-error';
import type { RegistryRoute } from './registry-route';
import { ServeContentUseCase } from './serve-content.use-case';
import { RegistryEvents } from './registry-events';

type Route<K extends RegistryRoute['kind']> = RegistryContext<Extract<RegistryRoute, { kind: K }>>;

/**
 * PullHandlers are the read side of `/v2/`: the version check, manifests by tag or digest and
 * blobs (whole, ranged, HEAD), each with the headers clients rely on (Docker-Content-Digest,
 * Content-Length, Content-Type).
 */
@Injectable()
export class PullHandlers {
  constructor(
    private readonly content: ServeContentUseCase,
    private readonly events: RegistryEvents,
  ) {}

  routes(): Record<string, RegistryHandler> {
    return {
      'GET base': async (ctx) => sendJson(ctx.res, 200, {}),
      'HEAD base': async (ctx) => void ctx.res.writeHead(200).end(),
      'GET manifest': async (ctx) => this.manifest(ctx as Route<'manifest'>, false),
      'HEAD manifest': async (ctx) => this.manifest(ctx as Route<'manifest'>, true),
      'GET blob': async (ctx) => this.blob(ctx as Route<'blob'>, false),
      'HEAD blob': async (ctx) => this.blob(ctx as Route<'blob'>, true),
    };
  }

  private async manifest(ctx: Route<'manifest'>, head: boolean): Promise<void> {
    const { repository, reference } = ctx.route;
    const served = await this.content.manifest(
      repository,
      reference,
      ctx.selfHosts,
      acceptedTypes(ctx.req),
    );
    ctx.res.writeHead(200, {
      'content-type': served.mediaType,
      'content-length': served.bytes.byteLength,
      'docker-content-digest': served.digest.toString(),
      etag: `"${served.digest.toString()}"`,
    });
    ctx.res.end(head ? undefined : served.bytes);
    if (!head) this.events.pulled(repository, ctx.host, reference);
  }

  private async blob(ctx: Route<'blob'>, head: boolean): Promise<void> {
    const digest = parseDigest(ctx.route.digest);
    const range = parseRange(ctx.req.headers.range);
    const options = range ? { head, range } : { head };
    const served = await this.content.blob(ctx.route.repository, digest, ctx.selfHosts, options);
    const common = {
      'docker-content-digest': digest.toString(),
      'accept-ranges': 'bytes',
      etag: `"${digest.toString()}"`,
    };
    if (served.range) {
      const { start, end } = served.range;
      ctx.res.writeHead(206, {
        ...common,
        'content-type': 'application/octet-stream',
        'content-length': end - start + 1,
        'content-range': `bytes ${start}-${end}/${served.size}`,
      });
    } else {
      const type = { 'content-type': 'application/octet-stream', 'content-length': served.size };
      ctx.res.writeHead(200, { ...common, ...type });
    }
    if (served.send) await served.send(ctx.res);
    else if (served.stream) return pipeline(served.stream, ctx.res);
    ctx.res.end();
  }
}

/** parseDigest parses a digest from a path, as the spec's DIGEST_INVALID when malformed. */
export function parseDigest(text: string): Digest {
  try {
    return Digest.parse(text);
  } catch {
    throw new RegistryError(400, 'DIGEST_INVALID', 'invalid digest', { digest: text });
  }
}

/** parseRange reads one `bytes=a-b` / `bytes=a-` range; anything else is served whole (RFC 9110 lets us ignore it). */
function parseRange(header: string | undefined): { start: number; end?: number } | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!match?.[1]) return undefined;
  const start = Number(match[1]);
  if (!match[2]) return { start };
  const end = Number(match[2]);
  if (end < start) throw DomainError.invalidArgument(`invalid range ${header}`);
  return { start, end };
}
