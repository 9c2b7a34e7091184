import { DomainError, MediaType, Reference, parseImageConfig } from '@stevedore/domain';
import type { ParsedImageConfig } from '@stevedore/domain';
import { guarded, invalidArchive } from '../archive-error';
import type { LoadedImage } from './loaded-image';
import type { MemberTable } from './member-table';
import type { StagedBlob } from './staging';

/** ArchiveView is what the interpreters read: the member table and the JSON size limit. */
export interface ArchiveView {
  table: MemberTable;
  maxJsonBytes: number;
}

/** PlannedImage is an image found in the archive, not yet committed, with the blobs it needs. */
export interface PlannedImage {
  image: LoadedImage;
  names: Reference[];
  /** Digests to publish when the archive is accepted (manifest, config, layers, index). */
  blobs: string[];
}

/** LayerRef is one layer as a manifest lists it, with the member that holds it. */
export interface LayerRef {
  mediaType: string;
  blob: StagedBlob;
}

/** jsonOf returns a member's bytes for parsing; a member too big for the JSON limit, or not JSON, is INVALID_ARGUMENT. */
export function jsonOf(view: ArchiveView, blob: StagedBlob, what: string): Buffer {
  if (blob.json) return blob.json;
  if (blob.size > view.maxJsonBytes) {
    throw invalidArchive(
      `invalid archive: ${what} is ${blob.size} bytes, over the ${view.maxJsonBytes}-byte limit for JSON documents`,
    );
  }
  throw invalidArchive(`invalid archive: ${what} is not a JSON document`);
}

/** readConfig parses an image config member, checking it against a descriptor when there is one. */
export function readConfig(
  view: ArchiveView,
  blob: StagedBlob,
  what: string,
  expected?: { digest: string; size: number },
): ParsedImageConfig {
  const bytes = jsonOf(view, blob, what);
  const options = expected ? { expectedDigest: expected.digest, expectedSize: expected.size } : {};
  return guarded(what, () => parseImageConfig(bytes, options));
}

/**
 * checkLayers enforces what `docker load` does: as many layers as DiffIDs (`invalid manifest,
 * layers length mismatch: expected <layers>, got <diffIDs>`), and each layer's uncompressed digest
 * equal to its DiffID (`invalid diffID for layer <i>…`). Layers whose compression this reader does
 * not decompress (zstd) are accepted unchecked.
 */
export function checkLayers(config: ParsedImageConfig, layers: StagedBlob[]): void {
  const diffIds = config.config.rootfs.diff_ids;
  if (layers.length !== diffIds.length) {
    throw invalidArchive(
      `invalid manifest, layers length mismatch: expected ${layers.length}, got ${diffIds.length}`,
    );
  }
  layers.forEach((layer, i) => {
    const expected = diffIds[i]?.toString();
    if (layer.diffIdError !== undefined) {
      throw invalidArchive(
        `invalid archive: layer ${i} (${layer.digest}) cannot be decompressed: ${layer.diffIdError}`,
      );
    }
    if (layer.diffId !== undefined && layer.diffId !== expected) {
      throw invalidArchive(
        `invalid diffID for layer ${i}: expected "${expected}", got "${layer.diffId}"`,
        { layer: i },
      );
    }
  });
}

/** ManifestFacts are the manifest-level facts of a planned image. */
export interface ManifestFacts {
  digest: string;
  mediaType: string;
  size: number;
  indexDigest?: string;
  configMediaType: string;
}

/** planImage assembles the {@link PlannedImage} of a validated manifest, config and layers. */
export function planImage(
  manifest: ManifestFacts,
  config: ParsedImageConfig,
  layers: LayerRef[],
  names: Reference[],
): PlannedImage {
  const { os, architecture, variant } = config.config;
  const configDigest = config.digest.toString();
  const image: LoadedImage = {
    repoTags: names.map((n) => n.toString()),
    configDigest,
    configJson: Buffer.from(config.bytes).toString('utf8'),
    manifest: {
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      size: manifest.size,
      ...(manifest.indexDigest ? { indexDigest: manifest.indexDigest } : {}),
      platform: { os, architecture, ...(variant ? { variant } : {}) },
      config: { mediaType: manifest.configMediaType, digest: configDigest, size: config.size },
      layers: layers.map(({ mediaType, blob }) => ({
        mediaType,
        digest: blob.digest,
        size: blob.size,
      })),
    },
  };
  const blobs = [manifest.digest, configDigest, ...layers.map((l) => l.blob.digest)];
  return { image, names, blobs: manifest.indexDigest ? [manifest.indexDigest, ...blobs] : blobs };
}

/**
 * MAX_NAMES bounds the tags one archive may give (after duplicates are dropped): each is a
 * metadata change, and an index repeating one manifest thousands of times must not turn one
 * small upload into minutes of work.
 */
export const MAX_NAMES = 1000;

/**
 * mergeImages joins entries that name the same manifest (one per tag in index.json), keeping the
 * first's order and each name once; more than `maxNames` distinct names is INVALID_ARGUMENT.
 */
export function mergeImages(planned: PlannedImage[], maxNames = MAX_NAMES): PlannedImage[] {
  const byManifest = new Map<string, { merged: PlannedImage; seen: Set<string> }>();
  let names = 0;
  for (const next of planned) {
    const digest = next.image.manifest.digest;
    let entry = byManifest.get(digest);
    if (!entry) {
      entry = { merged: { ...next, names: [] }, seen: new Set() };
      byManifest.set(digest, entry);
    }
    for (const name of next.names) {
      const text = name.toString();
      if (entry.seen.has(text)) continue;
      if (++names > maxNames)
        throw invalidArchive(`invalid archive: more than ${maxNames} image names (tags)`);
      entry.seen.add(text);
      entry.merged.names.push(name);
    }
  }
  return [...byManifest.values()].map(({ merged }) => ({
    ...merged,
    image: { ...merged.image, repoTags: merged.names.map((n) => n.toString()) },
  }));
}

/** dockerLayerMediaType is the media type a `manifest.json`-only archive's layer gets from its compression. */
export function dockerLayerMediaType(blob: StagedBlob, path: string): string {
  switch (blob.compression) {
    case 'none':
      return MediaType.DockerLayer;
    case 'gzip':
      return MediaType.DockerLayerGzip;
    case 'zstd':
      return MediaType.OciLayerZstd;
    default:
      // Docker would decompress these; storing them needs a media type no manifest has.
      throw DomainError.unsupported(
        `layer ${path} is ${blob.compression}-compressed; only plain, gzip and zstd layers can be loaded`,
      );
  }
}
