import { ConfigProblem } from './config-error';

/**
 * RegistryProxyConfig turns on the pull-through cache of `/v2/` (`registry-proxy` in
 * STEVEDORE_CONFIG): a manifest or blob the store lacks under `<upstream-host>/<repo>` (or a
 * Docker Hub name, through `registry-mirrors`) is fetched from upstream by the fetchers.
 */
export interface RegistryProxyConfig {
  /** A tag served from the store is checked upstream with a HEAD once it is older than this. */
  tagRevalidateSeconds: number;
  /** Upstream fetches one client (token subject, user, or address) may start per minute. */
  missesPerMinute: number;
  /** How many of them it may start at once before the rate applies. */
  missBurst: number;
  /** How long a blob request waits for a download another request started. */
  blobWaitSeconds: number;
}

export const DEFAULT_REGISTRY_PROXY: RegistryProxyConfig = {
  tagRevalidateSeconds: 300,
  missesPerMinute: 600,
  missBurst: 200,
  blobWaitSeconds: 30,
};

const KEY = 'STEVEDORE_CONFIG registry-proxy';
const FIELDS: [string, keyof RegistryProxyConfig, number, number][] = [
  ['tag-revalidate-seconds', 'tagRevalidateSeconds', 0, 31_536_000],
  ['misses-per-minute', 'missesPerMinute', 1, 1_000_000],
  ['miss-burst', 'missBurst', 1, 1_000_000],
  ['blob-wait-seconds', 'blobWaitSeconds', 1, 3600],
];

/** parseRegistryProxy validates `registry-proxy` (`true`, or an object of the keys above). */
export function parseRegistryProxy(
  value: unknown,
  problems: ConfigProblem[],
): { registryProxy?: RegistryProxyConfig } {
  if (value === undefined || value === false) return {};
  if (value === true) return { registryProxy: { ...DEFAULT_REGISTRY_PROXY } };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ variable: KEY, reason: 'must be true, false or an object' });
    return {};
  }
  const o = value as Record<string, unknown>;
  const config = { ...DEFAULT_REGISTRY_PROXY };
  for (const [key, as, min, max] of FIELDS) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push({
        variable: `${KEY} ${key}`,
        reason: `must be a whole number from ${min} to ${max}`,
      });
    } else config[as] = v;
  }
  return { registryProxy: config };
}
