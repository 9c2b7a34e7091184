import type { ImageManifestRecord, ImageRecord, ImageSummaryRecord } from '@stevedore/contracts';
import { Digest, DomainError, contentLayers, parseReference } from '@stevedore/domain';

export { sortNewestFirst } from '@stevedore/domain';

/** assertImageId throws INVALID_ARGUMENT unless `id` is a full digest (`sha256:<64 hex>`). */
export function assertImageId(id: string): string {
  if (!Digest.isValid(id))
    throw DomainError.invalidArgument(`invalid image id: ${JSON.stringify(id)}`, { id });
  return id;
}

/** assertBlobDigest throws INVALID_ARGUMENT unless `digest` is a full digest. */
export function assertBlobDigest(digest: string): string {
  if (!Digest.isValid(digest))
    throw DomainError.invalidArgument(`invalid digest: ${JSON.stringify(digest)}`, { digest });
  return digest;
}

// The store keys references by their normalised string, so a non-normalised spelling would
// silently create a second, unreachable key: refuse it instead.
function normalised(ref: string, kind: 'tag' | 'digest'): string {
  const want = kind === 'tag' ? 'a fully qualified name:tag' : 'a fully qualified name@digest';
  let parsed;
  try {
    parsed = parseReference(ref);
  } catch {
    throw DomainError.invalidArgument(`invalid reference ${JSON.stringify(ref)}: want ${want}`, {
      reference: ref,
    });
  }
  const shapeOk =
    kind === 'tag'
      ? parsed.tag !== undefined && !parsed.digest
      : parsed.digest !== undefined && parsed.tag === undefined;
  if (!shapeOk || parsed.toString() !== ref) {
    throw DomainError.invalidArgument(`invalid reference ${JSON.stringify(ref)}: want ${want}`, {
      reference: ref,
    });
  }
  return ref;
}

/** assertTagRef throws INVALID_ARGUMENT unless `tag` is a normalised `domain/path:tag`. */
export function assertTagRef(tag: string): string {
  return normalised(tag, 'tag');
}

/** assertDigestRef throws INVALID_ARGUMENT unless `ref` is a normalised `domain/path@digest`. */
export function assertDigestRef(ref: string): string {
  return normalised(ref, 'digest');
}

const ID_PREFIX_RE = /^(sha256|sha512):[a-f0-9]{1,128}$/;

/** assertIdPrefix throws INVALID_ARGUMENT unless `prefix` is `<algorithm>:<1 or more hex>`. */
export function assertIdPrefix(prefix: string): string {
  if (!ID_PREFIX_RE.test(prefix)) {
    throw DomainError.invalidArgument(`invalid image id prefix: ${JSON.stringify(prefix)}`, {
      prefix,
    });
  }
  return prefix;
}

/** blobsOfManifests lists every blob the manifests refer to: manifest, index, config and layers, once each. */
export function blobsOfManifests(manifests: readonly ImageManifestRecord[]): string[] {
  const blobs = new Set<string>();
  for (const m of manifests) {
    blobs.add(m.digest);
    if (m.indexDigest) blobs.add(m.indexDigest);
    blobs.add(m.config.digest);
    for (const layer of m.layers) blobs.add(layer.digest);
  }
  return [...blobs];
}

/**
 * mergeManifests adds to `stored` the manifests of `incoming` it does not have (by digest) and
 * tells whether anything was added; stored entries win, so a merge never rewrites history.
 */
export function mergeManifests(
  stored: readonly ImageManifestRecord[],
  incoming: readonly ImageManifestRecord[],
): { manifests: ImageManifestRecord[]; added: boolean } {
  const known = new Set(stored.map((m) => m.digest));
  const fresh = incoming.filter((m) => !known.has(m.digest));
  return { manifests: [...stored, ...fresh], added: fresh.length > 0 };
}

/**
 * assertHoldsManifests is the precondition of `PutImageRefs.existingOnly`: the image is
 * stored, with every manifest of `incoming` (NOT_FOUND otherwise).
 */
export function assertHoldsManifests(
  image: { id: string; manifests: readonly ImageManifestRecord[] },
  stored: readonly ImageManifestRecord[] | undefined,
): void {
  if (!stored || mergeManifests(stored, image.manifests).added)
    throw DomainError.notFound(`image ${image.id} is not stored with this manifest`, {
      id: image.id,
    });
}

/** idPrefixRange returns the half-open string range `[prefix, end)` holding every id that starts with `prefix`. */
export function idPrefixRange(prefix: string): { from: string; to: string } {
  // Ids are lower-case ASCII, so "prefix" + U+FFFF sorts after every id with that prefix.
  return { from: prefix, to: `${prefix}\uffff` };
}

/**
 * assertNewImage checks what a store relies on: a valid id, and manifests whose config is that id
 * (an image's id is its config digest, so anything else would be a different image).
 */
export function assertNewImage(image: {
  id: string;
  manifests: readonly ImageManifestRecord[];
}): void {
  assertImageId(image.id);
  for (const m of image.manifests) {
    if (m.config.digest !== image.id) {
      throw DomainError.invalidArgument(
        `manifest ${m.digest} has config ${m.config.digest}, not image ${image.id}`,
      );
    }
  }
}

/** compareStrings orders strings by UTF-16 code units, the order both databases use for keys. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** summaryOf is an image's summary columns, derived from its full record. */
export function summaryOf(image: ImageRecord): ImageSummaryRecord {
  const { id, repoTags, repoDigests, created, size, labels } = image;
  const layers = contentLayers(image.manifests, image.configJson);
  return { id, repoTags, repoDigests, created, size, labels, layers };
}
