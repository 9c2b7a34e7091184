import type { ImageManifestRecord, ImageRecord } from '@stevedore/contracts';
import type { ImageSummary, ManifestSummary } from '../engine-types';

/**
 * withManifests adds `Manifests` to a listed image, one per platform manifest it was obtained
 * through, as the containerd image store reports them: `Size.Content` is the bytes of the
 * manifest, config and layers (all stored: an image is recorded only once they are), and with no
 * unpacked snapshots `Size.Total` is the same and `ImageData.Size.Unpacked` 0.
 */
export function withManifests(summary: ImageSummary, image: ImageRecord | undefined): ImageSummary {
  return { ...summary, Manifests: (image?.manifests ?? []).map(manifestSummary) };
}

function manifestSummary(manifest: ImageManifestRecord): ManifestSummary {
  const content =
    manifest.size + manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0);
  const platform = {
    architecture: manifest.platform.architecture,
    os: manifest.platform.os,
    ...(manifest.platform.variant ? { variant: manifest.platform.variant } : {}),
  };
  return {
    ID: manifest.digest,
    Descriptor: {
      mediaType: manifest.mediaType,
      digest: manifest.digest,
      size: manifest.size,
      platform,
    },
    Available: true,
    Size: { Total: content, Content: content },
    Kind: 'image',
    ImageData: { Platform: platform, Containers: [], Size: { Unpacked: 0 } },
  };
}
