import { Difference } from './json-shape';

/**
 * Where Stevedore answers API 1.41 otherwise than dockerd 20.10 on purpose, by endpoint. Every
 * other difference the differential suite finds is a bug.
 */
export const DOCUMENTED: Record<string, readonly Difference[]> = {
  'images/json': [
    {
      path: /^\[\]\.RepoTags: (null|array)$/,
      reason:
        'dockerd 20.10 sends null for an image with digests and no tag; later dockerd and Stevedore []: clients read both as no tags',
    },
  ],
  'system/df': [
    {
      path: /^Images\[\]\.Repo(Tags|Digests): (null|array)$/,
      reason:
        'dockerd 20.10 sends null for an image without tags or without digests (an imported one); later dockerd and Stevedore []',
    },
    {
      path: /^BuildCache: (null|array)$/,
      reason:
        'dockerd 20.10 sends null for an empty build cache; later dockerd (moby "Ensure empty BuildCache … as empty JSON array") and Stevedore []',
    },
  ],
  info: [
    {
      path: /^DriverStatus: (null|array)$/,
      reason:
        'dockerd 20.10 sends null when its storage driver (vfs) reports nothing; Stevedore [] (no graph driver): clients read both as no status',
    },
    {
      path: /^Runtimes\.io\.containerd\./,
      reason:
        "dockerd also lists containerd's shims (io.containerd.runc.v2, io.containerd.runtime.v1.linux) as runtimes; Stevedore runs runc directly under conmon, so runc is its only runtime",
    },
  ],
};

/**
 * Search of a registry other than Docker Hub: dockerd 20.10 asks the registry's v1 search API
 * (`GET /v1/search`), which no v2 registry (CNCF distribution, Harbor, …) serves, so it answers 500
 * `Unexpected status code 404`; Stevedore searches the registry's v2 catalog and answers results
 * shaped as Docker Hub's. A feature, not a bug: the difference is asserted, not hidden.
 */
export const SEARCH_V1 = {
  status: 500,
  message: 'Unexpected status code 404',
  resultKeys: ['description', 'is_automated', 'is_official', 'name', 'star_count'],
} as const;

/**
 * Error messages whose wording changed between dockerd 20.10 and the dockerd Stevedore follows,
 * each rewritten to the newer wording before comparing.
 */
export const REWORDED: readonly [RegExp, string, string][] = [
  [/Invalid filter '/, "invalid filter '", 'dockerd 23 lower-cased filter errors'],
  [/invalid filter '(\w+)=\[(.*)\]'/, "invalid filter '$1=$2'", 'dockerd 23 joins filter values'],
  [
    /no such image: (.*): No such image: \1$/m,
    'No such image: $1',
    'dockerd 23 stopped repeating the reference of a missing image',
  ],
];

/**
 * Sizes: Stevedore never unpacks an image, so it counts a layer at its uncompressed tar size;
 * dockerd at what its graph driver unpacked. Printed sizes are scrubbed where they show.
 */
export const SIZES: [RegExp, string] = [/\b\d+(\.\d+)?[kMG]?B\b/g, '<size>'];

/** Progress lines that depend on timing: shown or not by either daemon. */
export const TRANSIENT: [RegExp, string] = [/^\w+: (Waiting|Verifying Checksum)\n/gm, ''];

/** documented returns the documented differences of one endpoint (none when it has none). */
export function documented(endpoint: string): readonly Difference[] {
  return DOCUMENTED[endpoint] ?? [];
}
