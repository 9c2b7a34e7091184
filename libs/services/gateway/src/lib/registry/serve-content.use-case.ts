import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, BlobRef, BlobStore } from '@stevedore/blob-port';
import {
  GET_MANIFEST_V1,
  GetManifestResultV1,
  LIST_MANIFEST_TAGS_V1,
  ManifestTagListV1,
} from '@stevedore/contracts';
import { Digest, isDomainError, parseManifest } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { recordRegistryContent } from '@stevedore/observability';
import { RegistryImages } from './registry-images';
import { RepositoryBlobs } from './repository-blobs';
import {
  REGISTRY_MISS,
  RegistryMiss,
  ServedBlob,
  ServedManifest,
  blobUnknown,
  satisfiedRange,
  manifestUnknown,
} from './registry-miss';
import { RegistryError } from './registry-error';

/** The largest manifest served or accepted (the CNCF registry's limit). */
export const MAX_MANIFEST_BYTES = 4 << 20;

/**
 * ServeContentUseCase answers pulls: a manifest by tag or digest of a repository (its exact bytes
 * from the blob store, verified), and blobs streamed from the blob store with Range. What the
 * store does not have goes to the miss hook; a blob only under a repository that holds it.
 */
@Injectable()
export class ServeContentUseCase {
  constructor(
    private readonly images: RegistryImages,
    private readonly blobs: RepositoryBlobs,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @Inject(REGISTRY_MISS) private readonly miss: RegistryMiss,
    private readonly bus: Bus,
  ) {}

  async manifest(
    repository: string,
    reference: string,
    selfHosts: ReadonlySet<string>,
    accept: readonly string[],
  ): Promise<ServedManifest> {
    const view = await this.images.view(repository, selfHosts);
    const digest = reference.includes(':')
      ? (view.digests.has(reference) || (await this.isKept(repository, reference))) && reference
      : (view.tags.get(reference)?.digest ?? (await this.artifactTag(repository, reference)));
    const moved =
      digest && !reference.includes(':')
        ? await this.miss.revalidate?.(repository, reference, digest)
        : undefined;
    if (moved) return moved;
    const found = digest ? await this.readManifest(Digest.parse(digest)) : undefined;
    recordRegistryContent('manifest', found ? 'hit' : 'miss');
    const served = found ?? (await this.miss.manifest(repository, reference, accept));
    if (!served) throw manifestUnknown(repository, reference);
    return served;
  }

  /** isKept tells whether metadata keeps `digest` in `repository` beside the images (an artifact). */
  private async isKept(repository: string, digest: string): Promise<boolean> {
    if (!Digest.isValid(digest)) return false;
    const request = { repository, digest };
    return (
      (await this.bus.send<GetManifestResultV1>(GET_MANIFEST_V1, request)).manifest !== undefined
    );
  }

  /** artifactTag is the digest of the artifact a tag of `repository` names, if any. */
  private async artifactTag(repository: string, tag: string): Promise<string | undefined> {
    const { tags } = await this.bus.send<ManifestTagListV1>(LIST_MANIFEST_TAGS_V1, { repository });
    return tags.find((t) => t.tag === tag)?.digest;
  }

  /** readManifest reads a stored manifest's exact bytes and tells its type (undefined: not stored). */
  async readManifest(digest: Digest): Promise<ServedManifest | undefined> {
    const info = await this.store.stat(digest);
    if (!info) return undefined;
    if (info.size > MAX_MANIFEST_BYTES)
      throw new RegistryError(500, 'UNKNOWN', `manifest ${digest} is larger than the limit`);
    const bytes = await readAll(await this.store.read(digest));
    const parsed = parseManifest(bytes, undefined, { expectedDigest: digest });
    return { bytes, mediaType: parsed.mediaType, digest };
  }

  /**
   * blob serves a blob of `repository`: only one the repository holds (see RepositoryBlobs), as
   * the CNCF registry does; one it holds that the store lacks (yet) goes to the miss hook.
   */
  async blob(
    repository: string,
    digest: Digest,
    selfHosts: ReadonlySet<string>,
    options: { head: boolean; range?: { start: number; end?: number } },
  ): Promise<ServedBlob> {
    const [info, member] = await Promise.all([
      this.store.stat(digest),
      this.blobs.has(repository, digest, selfHosts),
    ]);
    recordRegistryContent('blob', info && member ? 'hit' : 'miss');
    if (!member) throw blobUnknown(repository, digest);
    const served = info
      ? await this.serve(digest, info.size, options)
      : await this.miss.blob(repository, digest, options);
    if (!served) throw blobUnknown(repository, digest);
    return served;
  }

  /** stored serves a blob the store holds, whatever repository asks (the miss hook's way back in). */
  async stored(
    digest: Digest,
    options: { head: boolean; range?: { start: number; end?: number } },
  ): Promise<ServedBlob | undefined> {
    const info = await this.store.stat(digest);
    return info ? this.serve(digest, info.size, options) : undefined;
  }

  private async serve(
    digest: Digest,
    size: number,
    { head, range }: { head: boolean; range?: { start: number; end?: number } },
  ): Promise<ServedBlob> {
    if (!range) return head ? { size } : { size, ...(await this.read({ digest, size })) };
    const served = { size, range: satisfiedRange(size, range) };
    return head ? served : { ...served, ...(await this.read({ digest, size }, served.range)) };
  }

  /** read opens the blob: to be sent through the store's own buffers where it can, else a stream. */
  private async read(
    blob: BlobRef,
    range?: { start: number; end: number },
  ): Promise<Pick<ServedBlob, 'stream' | 'send'>> {
    const { digest } = blob;
    try {
      if (this.store.openSend) return { send: await this.store.openSend(blob, range) };
      return { stream: await this.store.read(digest, range) };
    } catch (err) {
      // Collected between the stat and the read.
      if (isDomainError(err) && err.code === 'NOT_FOUND') throw blobUnknown('', digest);
      throw err;
    }
  }
}

/** readAll collects a small stream (a manifest, bounded by MAX_MANIFEST_BYTES) into one buffer. */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > MAX_MANIFEST_BYTES)
      throw new RegistryError(400, 'SIZE_INVALID', 'manifest larger than 4 MiB');
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
