import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { BLOB_STORE, BLOB_UPLOADS, BlobStore, BlobUploads } from '@stevedore/blob-port';
import { Digest, isDomainError } from '@stevedore/domain';
import { RegistryContext, RegistryHandler } from './registry-context';
import { RegistryError, toRegistryError } from './registry-error';
import type { RegistryRoute } from './registry-route';
import { parseDigest } from './pull.handlers';
import { REGISTRY_ACCESS, RegistryAccess } from './registry-access';
import { isRepository } from './registry-names';
import { RepositoryBlobs } from './repository-blobs';

type Upload = RegistryContext<Extract<RegistryRoute, { kind: 'upload' }>>;
type Uploads = RegistryContext<Extract<RegistryRoute, { kind: 'uploads' }>>;

/**
 * PushHandlers are blob uploads: monolithic (`POST ?digest=`, or `POST` then one `PUT`), chunked
 * (`PATCH` with `Content-Range`, then `PUT ?digest=`), status (`GET`), cancel (`DELETE`) and
 * cross-repository mount. A blob committed or mounted is linked into the repository (see
 * RepositoryBlobs): that is what makes it served there. The session lives in the blob store's uploads (BLOB_UPLOADS), so any
 * gateway, restarted or not, continues it; the digest is verified when the blob is committed.
 */
@Injectable()
export class PushHandlers {
  constructor(
    @Inject(BLOB_UPLOADS) private readonly uploads: BlobUploads,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @Inject(REGISTRY_ACCESS) private readonly access: RegistryAccess,
    private readonly blobs: RepositoryBlobs,
  ) {}

  routes(): Record<string, RegistryHandler> {
    return {
      'POST uploads': async (ctx) => this.start(ctx as Uploads),
      'PATCH upload': async (ctx) => this.patch(ctx as Upload),
      'PUT upload': async (ctx) => this.finish(ctx as Upload),
      'GET upload': async (ctx) => this.status(ctx as Upload),
      'DELETE upload': async (ctx) => this.cancel(ctx as Upload),
    };
  }

  private async start(ctx: Uploads): Promise<void> {
    const { repository } = ctx.route;
    const mounted = await this.mountable(ctx);
    if (mounted) {
      await this.blobs.link(repository, [mounted]);
      return this.created(ctx, repository, mounted);
    }
    const digest = ctx.url.searchParams.get('digest');
    const id = await this.uploads.start();
    if (digest !== null) {
      const size = await this.append(id, 0, ctx.req);
      return this.commit(ctx, repository, id, digest, size);
    }
    ctx.req.resume();
    this.accepted(ctx, repository, id, 0);
  }

  /**
   * mountable is the blob a mount (`?mount=<digest>&from=<repository>`) may take: one `from`
   * holds, that the store holds, and that the caller may pull from `from`. Anything else (no
   * `from`, a malformed digest or name) starts an upload instead, as the CNCF registry does.
   */
  private async mountable(ctx: Uploads): Promise<Digest | undefined> {
    const mount = ctx.url.searchParams.get('mount');
    const from = ctx.url.searchParams.get('from');
    if (!mount || !from || !Digest.isValid(mount) || !isRepository(from)) return undefined;
    const digest = Digest.parse(mount);
    const decision = await this.access.authorize({
      method: 'GET',
      repository: from,
      actions: ['pull'],
      headers: ctx.req.headers,
      remoteAddress: ctx.req.socket.remoteAddress,
    });
    if (decision !== 'allow') return undefined;
    const [info, held] = await Promise.all([
      this.store.stat(digest),
      this.blobs.has(from, digest, ctx.selfHosts),
    ]);
    return info && held ? digest : undefined;
  }

  private async patch(ctx: Upload): Promise<void> {
    const { repository, uuid } = ctx.route;
    const standing = await this.statusOf(repository, uuid);
    const start = rangeStart(ctx.req);
    if (start !== undefined && start !== standing) {
      ctx.req.resume();
      throw new RegistryError(416, 'BLOB_UPLOAD_INVALID', 'content range out of order', undefined, {
        location: uploadLocation(repository, uuid),
        range: rangeOf(standing),
        'docker-upload-uuid': uuid,
      });
    }
    const size = await this.append(uuid, standing, ctx.req);
    this.accepted(ctx, repository, uuid, size);
  }

  private async finish(ctx: Upload): Promise<void> {
    const { repository, uuid } = ctx.route;
    const digest = ctx.url.searchParams.get('digest');
    const standing = await this.statusOf(repository, uuid);
    // The last chunk may come with the PUT itself.
    const size = hasBody(ctx.req) ? await this.append(uuid, standing, ctx.req) : standing;
    if (!hasBody(ctx.req)) ctx.req.resume();
    if (digest === null)
      throw new RegistryError(400, 'DIGEST_INVALID', 'the digest query parameter is required');
    await this.commit(ctx, repository, uuid, digest, size);
  }

  private async status(ctx: Upload): Promise<void> {
    const { repository, uuid } = ctx.route;
    const size = await this.statusOf(repository, uuid);
    ctx.res
      .writeHead(204, {
        location: uploadLocation(repository, uuid),
        range: rangeOf(size),
        'docker-upload-uuid': uuid,
        'content-length': 0,
      })
      .end();
  }

  private async cancel(ctx: Upload): Promise<void> {
    const { repository, uuid } = ctx.route;
    await this.statusOf(repository, uuid);
    await this.uploads.abort(uuid);
    ctx.res.writeHead(204, { 'content-length': 0 }).end();
  }

  private async commit(
    ctx: RegistryContext,
    repository: string,
    id: string,
    digestText: string,
    size: number,
  ): Promise<void> {
    const digest = parseDigest(digestText);
    try {
      await this.uploads.commit(id, digest);
    } catch (err) {
      if (isDomainError(err) && err.code === 'DIGEST_MISMATCH')
        throw new RegistryError(
          400,
          'DIGEST_INVALID',
          'provided digest did not match uploaded content',
          {
            digest: digest.toString(),
            size,
          },
        );
      throw toRegistryError(err, 'BLOB_UPLOAD_INVALID');
    }
    await this.blobs.link(repository, [digest]);
    this.created(ctx, repository, digest);
  }

  private created(ctx: RegistryContext, repository: string, digest: Digest): void {
    ctx.req.resume();
    ctx.res
      .writeHead(201, {
        location: `/v2/${repository}/blobs/${digest.toString()}`,
        'docker-content-digest': digest.toString(),
        'content-length': 0,
      })
      .end();
  }

  private accepted(ctx: RegistryContext, repository: string, id: string, size: number): void {
    ctx.res
      .writeHead(202, {
        location: uploadLocation(repository, id),
        range: rangeOf(size),
        'docker-upload-uuid': id,
        'content-length': 0,
      })
      .end();
  }

  private async append(id: string, offset: number, body: IncomingMessage): Promise<number> {
    return this.uploads.append(id, offset, body);
  }

  private async statusOf(repository: string, id: string): Promise<number> {
    try {
      return await this.uploads.status(id);
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND')
        throw new RegistryError(404, 'BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', {
          name: repository,
          uuid: id,
        });
      throw err;
    }
  }
}

function uploadLocation(repository: string, id: string): string {
  return `/v2/${repository}/blobs/uploads/${id}`;
}

/** rangeOf is the spec's `Range` of an upload holding `size` bytes (`0-0` when empty, as the CNCF registry says). */
function rangeOf(size: number): string {
  return `0-${Math.max(size - 1, 0)}`;
}

/** rangeStart reads where a chunk's `Content-Range: <start>-<end>` begins. */
function rangeStart(req: IncomingMessage): number | undefined {
  const header = req.headers['content-range'];
  const match = header ? /^(?:bytes[ =])?(\d+)-(\d+)(?:\/\S+)?$/.exec(header.trim()) : null;
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** hasBody tells whether a request carries bytes (a length above zero, or chunked). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}
