import {
  Descriptor,
  DomainError,
  ImageIndex,
  ImageManifest,
  Platform,
  Reference,
  isIndexMediaType,
  isManifestMediaType,
  parseManifest,
  selectManifest,
} from '@stevedore/domain';
import { guarded, invalidArchive } from '../archive-error';
import { dockerRepoTagsByConfig } from './docker-images';
import {
  ArchiveView,
  LayerRef,
  PlannedImage,
  checkLayers,
  jsonOf,
  planImage,
  readConfig,
} from './image-assembly';
import { annotatedName } from './names';

/** OciTarget chooses the platform of a multi-platform index; `explicit` makes a miss an error. */
export interface OciTarget {
  platform: Platform;
  explicit: boolean;
}

/**
 * ociImages reads an OCI image layout's `index.json` (§8): each entry naming an image manifest is an
 * image; an entry naming an index loads the best platform match among the children the archive
 * holds. Names come from `io.containerd.image.name`, else from `manifest.json`'s RepoTags for the
 * same config, else from a full-reference `ref.name`. Entries of other media types are ignored.
 */
export function ociImages(view: ArchiveView, target: OciTarget): PlannedImage[] {
  const indexBlob = view.table.file('index.json');
  if (!indexBlob) throw invalidArchive('invalid archive: index.json is missing');
  const indexBytes = jsonOf(view, indexBlob, 'index.json');
  const parsed = guarded('index.json', () => parseManifest(indexBytes));
  if (parsed.kind !== 'index')
    throw invalidArchive('invalid archive: index.json is not an image index');
  const fallback = dockerRepoTagsByConfig(view);
  // An index may name one manifest thousands of times (one entry per tag): each is read once.
  const planned = new Map<string, PlannedImage>();
  const images: PlannedImage[] = [];
  for (const entry of parsed.index.manifests) {
    const key = `${entry.mediaType} ${entry.digest.toString()}`;
    let image = planned.get(key);
    if (!image && isManifestMediaType(entry.mediaType)) image = imageOf(view, entry, fallback);
    else if (!image && isIndexMediaType(entry.mediaType))
      image = imageOfIndex(view, entry, fallback, target);
    if (!image) continue; // another media type: not an image
    planned.set(key, image);
    const name = annotatedName(entry.annotations);
    images.push(name ? { ...image, names: [name] } : image);
  }
  return images;
}

type Fallback = ReadonlyMap<string, Reference[]>;

function documentOf(
  view: ArchiveView,
  descriptor: Descriptor,
  what: string,
): ReturnType<typeof parseManifest> {
  const digest = descriptor.digest.toString();
  const blob = view.table.blob(digest);
  if (!blob)
    throw invalidArchive(`invalid archive: ${what} ${digest} is not in the archive`, { digest });
  const options = { expectedDigest: descriptor.digest, expectedSize: descriptor.size };
  const bytes = jsonOf(view, blob, `${what} ${digest}`);
  return guarded(`${what} ${digest}`, () => parseManifest(bytes, descriptor.mediaType, options));
}

/** imageOf plans the image of a manifest entry, named by `manifest.json`'s RepoTags for its config, if any. */
function imageOf(
  view: ArchiveView,
  descriptor: Descriptor,
  fallback: Fallback,
  indexDigest?: string,
): PlannedImage {
  const parsed = documentOf(view, descriptor, 'manifest');
  if (parsed.kind !== 'manifest')
    throw invalidArchive(`invalid archive: ${descriptor.digest} is not an image manifest`);
  const manifest: ImageManifest = parsed.manifest;
  const configDigest = manifest.config.digest.toString();
  const configBlob = view.table.blob(configDigest);
  if (!configBlob)
    throw invalidArchive(`invalid archive: config ${configDigest} is not in the archive`, {
      digest: configDigest,
    });
  const config = readConfig(view, configBlob, `config ${configDigest}`, {
    digest: configDigest,
    size: manifest.config.size,
  });
  const layers = manifest.layers.map((layer) => layerOf(view, layer));
  checkLayers(
    config,
    layers.map((l) => l.blob),
  );
  const facts = {
    digest: parsed.digest.toString(),
    mediaType: parsed.mediaType,
    size: parsed.size,
    configMediaType: manifest.config.mediaType,
    ...(indexDigest ? { indexDigest } : {}),
  };
  return planImage(facts, config, layers, fallback.get(configDigest) ?? []);
}

/** layerOf finds a manifest's layer among the archive's members, at the size the manifest says. */
function layerOf(view: ArchiveView, layer: Descriptor): LayerRef {
  const blob = view.table.blob(layer.digest);
  if (!blob)
    throw invalidArchive(`invalid archive: layer ${layer.digest} is not in the archive`, {
      digest: layer.digest.toString(),
    });
  if (blob.size !== layer.size)
    throw invalidArchive(
      `invalid archive: layer ${layer.digest} is ${blob.size} bytes, its manifest says ${layer.size}`,
    );
  return { mediaType: layer.mediaType, blob };
}

function imageOfIndex(
  view: ArchiveView,
  descriptor: Descriptor,
  fallback: Fallback,
  target: OciTarget,
): PlannedImage {
  const parsed = documentOf(view, descriptor, 'index');
  if (parsed.kind !== 'index')
    throw invalidArchive(`invalid archive: ${descriptor.digest} is not an image index`);
  // An exported index may list platforms that were never pulled; only the present ones can load.
  const present = parsed.index.manifests.filter(
    (d) => isManifestMediaType(d.mediaType) && view.table.blob(d.digest) !== undefined,
  );
  if (present.length === 0)
    throw invalidArchive(
      `invalid archive: none of the manifests of index ${descriptor.digest} is in the archive`,
    );
  const chosen = choosePlatform({ ...parsed.index, manifests: present }, target) ?? present[0];
  return imageOf(view, chosen ?? descriptor, fallback, parsed.digest.toString());
}

function choosePlatform(index: ImageIndex, target: OciTarget): Descriptor | undefined {
  try {
    return selectManifest(index, target.platform);
  } catch (error) {
    if (target.explicit || !(error instanceof DomainError) || error.code !== 'NOT_FOUND')
      throw error;
    return undefined;
  }
}
