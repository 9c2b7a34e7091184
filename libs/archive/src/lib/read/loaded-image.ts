import type { ImageManifestRecord } from '@stevedore/contracts';

/** LoadedImage is one image an archive held, as {@link readArchive} committed it to the store. */
export interface LoadedImage {
  /**
   * Fully qualified `name:tag` references the archive gives the image
   * (`docker.io/library/app:1.0`); empty when it is untagged (`Loaded image ID: …`).
   */
  repoTags: string[];
  /** The image ID: the digest of its config. */
  configDigest: string;
  /** The manifest the image is stored under: the archive's own, or one synthesised for a `manifest.json`-only archive. */
  manifest: ImageManifestRecord;
  /** The config JSON text, byte-exact. */
  configJson: string;
}

/** LoadedArchive is what {@link readArchive} returns: every image it loaded, in archive order. */
export interface LoadedArchive {
  images: LoadedImage[];
}
