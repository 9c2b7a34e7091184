/**
 * ImageManifestRecord is one manifest through which an image was obtained: the platform
 * manifest, and the index that pointed at it when there was one.
 */
export interface ImageManifestRecord {
  digest: string;
  mediaType: string;
  size: number;
  /** The index/manifest list the tag pointed to, when the manifest came from one. */
  indexDigest?: string;
  platform: { os: string; architecture: string; variant?: string };
  config: { mediaType: string; digest: string; size: number };
  layers: { mediaType: string; digest: string; size: number }[];
}

/**
 * ImageRecord is an image as the metadata service keeps it. `id` is the config digest (as in
 * Docker); `repoTags` and `repoDigests` hold fully qualified references
 * (`docker.io/library/busybox:latest`, `docker.io/library/busybox@sha256:…`).
 */
export interface ImageRecord {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  manifests: ImageManifestRecord[];
  /** The image's creation time from its config (ISO 8601), or when it was added if absent. */
  created: string;
  /** When this store first recorded the image (ISO 8601). */
  addedAt: string;
  /** When a tag was last added locally (ISO 8601). */
  lastTagTime?: string;
  /** Sum of the compressed sizes of the layers of the image's manifest. */
  size: number;
  labels: Record<string, string>;
  os: string;
  architecture: string;
  variant?: string;
  /** The config blob's JSON text, exactly as stored (small; read by inspect and history). */
  configJson: string;
}

/**
 * imageHoldsManifest tells whether `image` already refers to `manifest` and to the index it was
 * reached through (perhaps on another of its manifests): then a collection keeps every document a
 * pull of it stored, as it keeps the config and layers.
 */
export function imageHoldsManifest(
  image: Pick<ImageRecord, 'manifests'>,
  manifest: Pick<ImageManifestRecord, 'digest' | 'indexDigest'>,
): boolean {
  const { digest, indexDigest } = manifest;
  return (
    image.manifests.some((known) => known.digest === digest) &&
    (indexDigest === undefined ||
      image.manifests.some((known) => known.indexDigest === indexDigest))
  );
}

/**
 * ImageSummaryRecord is what a listing of every image needs (`docker images`): the summary columns
 * of an {@link ImageRecord}, without its manifests or config JSON, and its layers by content (the
 * DiffID and smallest blob size of each), from which the gateway sizes images store-wide.
 */
export interface ImageSummaryRecord {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  created: string;
  /** The record's own size (used when the image has no layers). */
  size: number;
  labels: Record<string, string>;
  layers: { diffId: string; size: number }[];
}
