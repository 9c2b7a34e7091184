import type { BlobStore } from '@stevedore/blob-port';
import { Descriptor, Digest, DomainError, parseReference } from '@stevedore/domain';
import type { ImageSource, SourceManifest } from '@stevedore/registry-client';

/** Manifests are small documents; anything bigger is not one (the registry limit is 4 MiB). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * StoreImageSource reads an image graph for a push from the blob store: manifests by digest (their
 * original bytes), blobs as streams. `origin` names where the image was pulled from, so a push to
 * the same registry can mount instead of upload.
 */
export class StoreImageSource implements ImageSource {
  readonly origin?: { registry: string; repository: string };

  constructor(
    private readonly store: BlobStore,
    readonly root: Digest,
    private readonly rootMediaType: string,
    origin?: string,
  ) {
    if (origin) {
      const ref = parseReference(origin);
      this.origin = { registry: ref.domain, repository: ref.path };
    }
  }

  async manifest(digest: Digest): Promise<SourceManifest> {
    const info = await this.store.stat(digest);
    if (!info)
      throw DomainError.unsupported(
        `the image's manifest ${digest} is not in the store, so it cannot be pushed as it was pulled`,
      );
    if (info.size > MAX_MANIFEST_BYTES)
      throw DomainError.invalidArgument(`manifest ${digest} is larger than 4 MiB`);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.store.read(digest)) chunks.push(chunk as Buffer);
    return {
      bytes: Buffer.concat(chunks),
      ...(digest.equals(this.root) ? { mediaType: this.rootMediaType } : {}),
    };
  }

  async blob(descriptor: Descriptor): Promise<AsyncIterable<Uint8Array>> {
    return this.store.read(descriptor.digest);
  }
}
