import { Descriptor, Reference } from '@stevedore/domain';
import { pushScope } from '../auth/scope';
import { ClientContext, apiPath, endpoints } from '../context';
import { Endpoint } from '../http/endpoint';
import { firstHeader } from '../http/headers';
import { withRetry } from '../http/retry';
import { BlobTransferOptions } from '../pull/copy-blob';
import {
  BlobOpener,
  finishUpload,
  mountBlob,
  patchChunks,
  startUpload,
  verified,
} from './upload-session';

/** BlobPushOutcome says how a blob reached the registry: it was there, it was mounted, or it was uploaded. */
export type BlobPushOutcome = 'exists' | 'mounted' | 'uploaded';

/** BlobPushOptions tune one blob push. */
export interface BlobPushOptions extends BlobTransferOptions {
  /** Repositories on the same registry that hold the blob, tried for a cross-repository mount. */
  readonly mountFrom?: readonly string[];
}

/** blobExistsAt HEADs the blob in `ref`'s repository: true when present with the descriptor's size. */
export async function blobExistsAt(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  desc: Descriptor,
): Promise<boolean> {
  try {
    const res = await ctx.http.send({
      endpoint: ep,
      method: 'HEAD',
      target: apiPath(ref, `blobs/${desc.digest}`),
      scopes: [pushScope(ref.path)],
      ok: [200],
      followRedirects: true,
    });
    await res.body.dump();
    const length = firstHeader(res.headers, 'content-length');
    return length === undefined || Number(length) === desc.size;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'NOT_FOUND') return false;
    throw error;
  }
}

/** tryMounts returns true when a mount succeeded, else the upload session a refused mount opened (if any). */
async function tryMounts(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  desc: Descriptor,
  from: readonly string[],
): Promise<true | URL | undefined> {
  let session: URL | undefined;
  for (const repository of from) {
    if (repository === ref.path) continue;
    try {
      const result = await mountBlob(ctx, ep, ref, desc, repository);
      if (result.mounted) return true;
      // 202: the registry opened an upload session instead; the upload continues in it.
      session ??= result.session;
    } catch (error) {
      ctx.options.logger?.debug('cross-repository mount failed, uploading instead', {
        from: repository,
        reason: (error as Error).message,
      });
    }
  }
  return session;
}

async function uploadOnce(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  desc: Descriptor,
  open: BlobOpener,
  options: BlobPushOptions,
  session?: URL,
): Promise<void> {
  const location = session ?? (await startUpload(ctx, ep, ref));
  const source = verified(await open(), desc, (n) => options.onProgress?.(n, desc.size));
  const chunkSize = ctx.options.chunkSize;
  if (chunkSize !== undefined && desc.size > chunkSize) {
    const last = await patchChunks(ctx, ep, ref, desc, location, source, chunkSize);
    await finishUpload(ctx, ep, ref, desc, last);
  } else {
    await finishUpload(ctx, ep, ref, desc, location, source);
  }
}

/**
 * pushBlob makes blob `desc` present in `ref`'s repository (§3.2–3.4): a HEAD skips blobs already
 * there, a cross-repository mount is tried from each `mountFrom` repository, and otherwise the bytes
 * from `open()` are uploaded — monolithically, or in PATCH chunks when the blob exceeds the client's
 * `chunkSize` — while being verified against the descriptor. A failed upload restarts from a new
 * session with a freshly opened source, under the retry policy. Never goes to a mirror.
 */
export async function pushBlob(
  ctx: ClientContext,
  ref: Reference,
  desc: Descriptor,
  open: BlobOpener,
  options: BlobPushOptions = {},
): Promise<BlobPushOutcome> {
  const ep = endpoints(ctx, ref, 'push')[0] as Endpoint;
  const policy = ctx.options.retry;
  if (await withRetry(policy, () => blobExistsAt(ctx, ep, ref, desc))) return 'exists';
  const mount = options.mountFrom?.length
    ? await tryMounts(ctx, ep, ref, desc, options.mountFrom)
    : undefined;
  if (mount === true) return 'mounted';
  // Only the first try may use the mount's session: after a failure it may be broken.
  await withRetry(policy, (n) =>
    uploadOnce(ctx, ep, ref, desc, open, options, n === 1 ? mount : undefined),
  );
  return 'uploaded';
}
