import { chainIds, parseImageConfig, parseReference } from '@stevedore/domain';

/** shortId is Docker's `stringid.TruncateID`: the first 12 hex digits of an id, without its algorithm. */
export function shortId(id: string): string {
  return id.slice(id.indexOf(':') + 1).slice(0, 12);
}

/** familiar turns a stored, fully qualified reference into the form Docker prints (`busybox:latest`). */
export function familiar(ref: string): string {
  return parseReference(ref).familiar();
}

/**
 * isSingleReference is Docker's test for "rmi by ID needs no force": at most one tag, and every
 * reference (tags and digests) in one repository. False for no references at all.
 */
export function isSingleReference(refs: readonly string[]): boolean {
  const parsed = refs.map((ref) => parseReference(ref));
  if (parsed.filter((ref) => ref.digest === undefined).length > 1) return false;
  return new Set(parsed.map((ref) => ref.name)).size === 1;
}

/** layerChainIds returns the ChainIDs of an image's layers, bottom first; none when the config is unreadable. */
export function layerChainIds(configJson: string): string[] {
  try {
    return chainIds(parseImageConfig(Buffer.from(configJson, 'utf8')).config.rootfs.diff_ids).map(
      String,
    );
  } catch {
    // A record whose config cannot be parsed still gets deleted; it just lists no layers.
    return [];
  }
}

/**
 * releasedLayers lists the layers (ChainIDs) that go with a deleted image, top first as Docker
 * prints them: from the top down, until a layer that a remaining image still stacks on.
 */
export function releasedLayers(chain: readonly string[], stillUsed: ReadonlySet<string>): string[] {
  const released: string[] = [];
  for (const id of [...chain].reverse()) {
    if (stillUsed.has(id)) break;
    released.push(id);
  }
  return released;
}
