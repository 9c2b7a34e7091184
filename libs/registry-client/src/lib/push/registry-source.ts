import { Descriptor, Digest, Reference } from '@stevedore/domain';
import { ClientContext } from '../context';
import { openBlob } from '../pull/copy-blob';
import { fetchManifest, resolveManifest } from '../pull/manifests';
import { ImageSource } from './image-source';

/**
 * registryImageSource reads an image graph from a registry: it resolves `ref` to its root digest once,
 * then serves manifests by digest and blob streams (verified, resumable) from `ref`'s repository.
 */
export async function registryImageSource(
  ctx: ClientContext,
  ref: Reference,
): Promise<ImageSource> {
  const root = ref.digest ?? (await resolveManifest(ctx, ref)).digest;
  return {
    root,
    origin: { registry: ref.domain, repository: ref.path },
    async manifest(digest: Digest) {
      const doc = await fetchManifest(ctx, ref.withDigest(digest));
      return { bytes: doc.bytes, mediaType: doc.mediaType };
    },
    blob: (descriptor: Descriptor) => openBlob(ctx, ref, descriptor),
  };
}
