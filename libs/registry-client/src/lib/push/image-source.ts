import { Descriptor, Digest } from '@stevedore/domain';

/** SourceManifest is a manifest's exact bytes and, when known, its media type. */
export interface SourceManifest {
  readonly bytes: Uint8Array;
  readonly mediaType?: string;
}

/**
 * ImageSource is what {@link RegistryClient.copyImage} reads an image graph from — a registry, a blob
 * store, an archive: the root digest, manifests by digest, and blob streams by descriptor. Bytes are
 * verified by the copier, so a source need not verify them itself.
 */
export interface ImageSource {
  /** Digest of the top-level manifest or index to copy. */
  readonly root: Digest;
  manifest(digest: Digest): Promise<SourceManifest>;
  blob(descriptor: Descriptor): AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>;
  /** Where the content lives, when that is a registry: pushes to the same registry mount from there. */
  readonly origin?: { readonly registry: string; readonly repository: string };
}
