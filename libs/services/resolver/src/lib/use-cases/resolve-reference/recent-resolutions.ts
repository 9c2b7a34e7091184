import type { ImageManifestRecord } from '@stevedore/contracts';

/** How many resolutions a resolver remembers: a few hundred small records, well under a megabyte. */
const CAPACITY = 512;

/**
 * RecentResolutions remembers what a manifest or index resolved to for a platform: its image
 * manifest record, which holds the platform read from the config. Both are content-addressed, so a
 * record found by the top document's digest never goes stale; the tag itself is still fetched from
 * the registry on every pull. A pull of an image already present then costs one registry request,
 * as dockerd's does, instead of three (index, manifest, config) and a look in the store.
 * Least recently used entries go first.
 */
export class RecentResolutions {
  private readonly entries = new Map<string, ImageManifestRecord>();

  get(topDigest: string, platform: string | undefined): ImageManifestRecord | undefined {
    const key = keyOf(topDigest, platform);
    const found = this.entries.get(key);
    if (found === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, found);
    return found;
  }

  set(topDigest: string, platform: string | undefined, manifest: ImageManifestRecord): void {
    const key = keyOf(topDigest, platform);
    this.entries.delete(key);
    this.entries.set(key, manifest);
    if (this.entries.size > CAPACITY)
      this.entries.delete(this.entries.keys().next().value as string);
  }
}

// The platform as asked (not as defaulted): an explicit one is also checked against a lone manifest.
const keyOf = (topDigest: string, platform: string | undefined) => `${topDigest} ${platform ?? ''}`;
