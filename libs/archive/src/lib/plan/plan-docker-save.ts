import type { ArchiveEntry } from './archive-plan';
import { Digest, DomainError, Reference, parseReference } from '@stevedore/domain';
import { blobPath } from '../member-path';

/** SaveImage is one image to put in a `docker save` archive: its original blobs and the tags to save it under. */
export interface SaveImage {
  /** Familiar `name:tag` strings (`app:1.0`, `localhost:5000/team/app:v1`); empty when saved by ID. */
  repoTags: string[];
  /** The image's original manifest, stored byte-exact. */
  manifest: { digest: string; mediaType: string; size: number };
  config: { digest: string; size: number };
  /** The original (usually compressed) layer blobs, base first. */
  layers: { digest: string; size: number; mediaType: string }[];
  /** The config's `rootfs.diff_ids`; the top one names the image in `repositories`. Defaults to the layer digests. */
  diffIds?: string[];
}

/** OCI_LAYOUT is the `oci-layout` file exactly as Docker writes it. */
export const OCI_LAYOUT = '{"imageLayoutVersion": "1.0.0"}';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/**
 * planDockerSave lists the entries of ONE tar that is both a `docker save` archive and an OCI image
 * layout, in the Docker ≥ 25 shape (§7.2, test vector T5) but holding the ORIGINAL manifests,
 * configs and layers (§7.6): `oci-layout`, `index.json` (one descriptor per tag, annotated with
 * `io.containerd.image.name` and `org.opencontainers.image.ref.name`; one bare descriptor per
 * untagged image), `manifest.json` and `repositories` (both newline-terminated, `repositories`
 * only when something is tagged), then `blobs/<alg>/<hex>` with every blob exactly once. Pure;
 * throws INVALID_ARGUMENT for a malformed digest or tag.
 */
export function planDockerSave(images: readonly SaveImage[]): ArchiveEntry[] {
  const tagged = images.map((image) => ({ image, refs: uniqueTags(image.repoTags) }));
  const repositories = repositoriesText(tagged);
  const blobs = uniqueBlobs(images);
  return [
    { path: 'oci-layout', kind: 'text', text: OCI_LAYOUT },
    { path: 'index.json', kind: 'text', text: JSON.stringify(indexOf(tagged)) },
    { path: 'manifest.json', kind: 'text', text: `${JSON.stringify(manifestListOf(tagged))}\n` },
    ...(repositories
      ? [{ path: 'repositories', kind: 'text' as const, text: `${repositories}\n` }]
      : []),
    { path: 'blobs/', kind: 'dir' },
    ...[...new Set(blobs.map((b) => b.digest.algorithm))].map((alg): ArchiveEntry => ({
      path: `blobs/${alg}/`,
      kind: 'dir',
    })),
    ...blobs.map((b): ArchiveEntry => ({
      path: blobPath(b.digest),
      kind: 'blob',
      digest: b.digest.toString(),
      size: b.size,
    })),
  ];
}

interface Tagged {
  image: SaveImage;
  refs: Reference[];
}

function uniqueTags(repoTags: readonly string[]): Reference[] {
  const refs: Reference[] = [];
  for (const text of repoTags) {
    const ref = parseReference(text).normalized();
    if (ref.digest)
      throw DomainError.invalidArgument(`cannot save ${text} as a tag: it names a digest`);
    if (!refs.some((r) => r.equals(ref))) refs.push(ref);
  }
  return refs;
}

/** The index descriptor fields in Go's struct order, so the JSON matches Docker's byte for byte. */
function indexOf(tagged: readonly Tagged[]): object {
  const manifests = tagged.flatMap(({ image, refs }) => {
    const { mediaType, digest, size } = image.manifest;
    const descriptor = { mediaType, digest: Digest.parse(digest).toString(), size };
    if (refs.length === 0) return [descriptor];
    return refs.map((ref) => ({
      ...descriptor,
      annotations: {
        'io.containerd.image.name': ref.toString(),
        'org.opencontainers.image.ref.name': ref.tag ?? 'latest',
      },
    }));
  });
  return { schemaVersion: 2, mediaType: OCI_INDEX, manifests };
}

function manifestListOf(tagged: readonly Tagged[]): object[] {
  return tagged.map(({ image, refs }) => ({
    Config: blobPath(image.config.digest),
    // Docker's encoder writes a nil slice as null: an image saved by ID has "RepoTags":null.
    RepoTags: refs.length === 0 ? null : refs.map((r) => r.familiar()),
    Layers: image.layers.map((l) => blobPath(l.digest)),
  }));
}

/**
 * repositoriesText is the `repositories` JSON: familiar repository → tag → hex of the top layer's
 * DiffID, keys sorted as Go sorts map keys. It is written by hand because a JS object would move
 * integer-like tags (`10`, `9`) to the front in numeric order.
 */
function repositoriesText(tagged: readonly Tagged[]): string | undefined {
  const repos = new Map<string, Map<string, string>>();
  for (const { image, refs } of tagged) {
    const top = (image.diffIds ?? image.layers.map((l) => l.digest)).at(-1);
    if (top === undefined) continue; // an image without layers has no top layer to name
    for (const ref of refs) {
      const tags = repos.get(ref.familiarName()) ?? new Map<string, string>();
      tags.set(ref.tag ?? 'latest', JSON.stringify(Digest.parse(top).hex));
      repos.set(ref.familiarName(), tags);
    }
  }
  if (repos.size === 0) return undefined;
  return goMap(new Map([...repos].map(([repo, tags]) => [repo, goMap(tags)])));
}

/** goMap serialises a map of already-encoded JSON values with its keys in byte order, like Go's encoder. */
function goMap(values: ReadonlyMap<string, string>): string {
  const keys = [...values.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${values.get(k) ?? 'null'}`).join(',')}}`;
}

function uniqueBlobs(images: readonly SaveImage[]): { digest: Digest; size: number }[] {
  const seen = new Map<string, { digest: Digest; size: number }>();
  for (const image of images) {
    for (const blob of [image.manifest, image.config, ...image.layers]) {
      const digest = Digest.parse(blob.digest);
      if (!Number.isSafeInteger(blob.size) || blob.size < 0) {
        throw DomainError.invalidArgument(`invalid size ${blob.size} for blob ${blob.digest}`);
      }
      if (!seen.has(digest.toString())) seen.set(digest.toString(), { digest, size: blob.size });
    }
  }
  return [...seen.values()];
}
