import { readFile } from 'node:fs/promises';
import { ConfigError } from './config-error';
import { API_VERSION_PATTERN, API_VERSION_PROBLEM } from './validators/api-version';
import { parseRegistryAuth, RegistryAuthConfig } from './registry-auth-config';
import { parseRegistryProxy, RegistryProxyConfig } from './registry-proxy-config';

/**
 * DaemonConfig is Stevedore's configuration file (`STEVEDORE_CONFIG`), in the shape of
 * dockerd's `daemon.json` where the two overlap. Docker's `registry-mirrors` serve Docker Hub
 * (`docker.io`) only, as in Docker.
 */
export interface DaemonConfig {
  registryMirrors: string[];
  insecureRegistries: string[];
  dataRoot?: string;
  /** A docker `config.json` to read registry credentials from. */
  credentialsFile?: string;
  /** How the `/v2/` listener authenticates (`registry-auth`, see {@link RegistryAuthConfig}). */
  registryAuth?: RegistryAuthConfig;
  /** The pull-through cache of `/v2/` (`registry-proxy`, see {@link RegistryProxyConfig}); off when absent. */
  registryProxy?: RegistryProxyConfig;
  /** Hosts `docker import <url>` may fetch from; empty = URL imports refused. */
  importUrlAllowlist: string[];
  /** Blob downloads from one registry at once, counted over every fetcher replica (dockerd's key, shared here). */
  maxConcurrentDownloads?: number;
  /** Interrupted downloads untouched this long are reclaimed (`ingest-max-age-hours`, default 24). */
  ingestMaxAgeHours?: number;
  /** Beyond this total, the oldest interrupted downloads are reclaimed (`ingest-max-bytes`, default 10 GiB). */
  ingestMaxBytes?: number;
  /**
   * The longest a registry's `429 Retry-After` may hold pulls from it (`max-upstream-backoff-seconds`,
   * default {@link DEFAULT_MAX_UPSTREAM_BACKOFF_SECONDS}): a longer one fails the pull at once with
   * `toomanyrequests`, and the back-off shared by the fetchers never outlasts it.
   */
  maxUpstreamBackoffSeconds?: number;
  /**
   * The oldest Engine API version served (`min-api-version`, as `X.Y`); `DOCKER_MIN_API_VERSION`
   * in the environment wins over it. The gateway checks the range and applies its default.
   */
  minApiVersion?: string;
}

/** The defaults of the `ingest-*` keys: a day, and 10 GiB. */
export const DEFAULT_INGEST_MAX_AGE_HOURS = 24;
export const DEFAULT_INGEST_MAX_BYTES = 10 * 1024 ** 3;

/**
 * ingestLimitsOf is how much of interrupted downloads the blob store keeps for resuming, from the
 * config's `ingest-max-age-hours` and `ingest-max-bytes` (defaults where unset).
 */
export function ingestLimitsOf(config: DaemonConfig): { maxAgeMs: number; maxBytes: number } {
  return {
    maxAgeMs: (config.ingestMaxAgeHours ?? DEFAULT_INGEST_MAX_AGE_HOURS) * 3_600_000,
    maxBytes: config.ingestMaxBytes ?? DEFAULT_INGEST_MAX_BYTES,
  };
}

/** The back-off cap when the config sets none: a minute, well inside a client's patience. */
export const DEFAULT_MAX_UPSTREAM_BACKOFF_SECONDS = 60;

/** maxUpstreamBackoffMs is the config's back-off cap in milliseconds, the default applied. */
export function maxUpstreamBackoffMs(config: DaemonConfig): number {
  return (config.maxUpstreamBackoffSeconds ?? DEFAULT_MAX_UPSTREAM_BACKOFF_SECONDS) * 1000;
}

const EMPTY: DaemonConfig = { registryMirrors: [], insecureRegistries: [], importUrlAllowlist: [] };

/** Reads and validates the config file; no path means the defaults. */
export async function loadDaemonConfig(path: string | undefined): Promise<DaemonConfig> {
  if (!path) return { ...EMPTY };
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ConfigError([
      { variable: 'STEVEDORE_CONFIG', reason: `cannot read ${path}: ${(err as Error).message}` },
    ]);
  }
  return parseDaemonConfig(raw);
}

/** Validates a parsed config file object, listing every problem at once. */
export function parseDaemonConfig(raw: unknown): DaemonConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError([{ variable: 'STEVEDORE_CONFIG', reason: 'must be a JSON object' }]);
  }
  const o = raw as Record<string, unknown>;
  const problems: { variable: string; reason: string }[] = [];
  const list = (key: string, check: (s: string) => boolean, what: string): string[] => {
    const value = o[key] ?? [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && check(v))) {
      problems.push({ variable: `STEVEDORE_CONFIG ${key}`, reason: `must be a list of ${what}` });
      return [];
    }
    return value as string[];
  };
  const config: DaemonConfig = {
    registryMirrors: list('registry-mirrors', isHttpUrl, 'http(s) URLs'),
    insecureRegistries: list('insecure-registries', (s) => s.length > 0, 'host[:port] names'),
    importUrlAllowlist: list('import-url-allowlist', (s) => s.length > 0, 'host names'),
    ...optionalString(o, 'data-root', 'dataRoot', problems),
    ...optionalString(o, 'credentials-file', 'credentialsFile', problems),
    ...parseRegistryAuth(o['registry-auth'], problems),
    ...parseRegistryProxy(o['registry-proxy'], problems),
    ...optionalWhole(o, 'max-concurrent-downloads', 'maxConcurrentDownloads', [1, 1000], problems),
    // The shared back-off's contract holds a registry for at most 600 s.
    ...optionalWhole(
      o,
      'max-upstream-backoff-seconds',
      'maxUpstreamBackoffSeconds',
      [0, 600],
      problems,
    ),
    ...optionalAmount(o, 'ingest-max-age-hours', 'ingestMaxAgeHours', problems),
    ...optionalAmount(o, 'ingest-max-bytes', 'ingestMaxBytes', problems),
    ...optionalApiVersion(o, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function optionalString<K extends string>(
  o: Record<string, unknown>,
  key: string,
  as: K,
  problems: { variable: string; reason: string }[],
) {
  const value = o[key];
  if (value === undefined) return {};
  if (typeof value !== 'string' || value === '') {
    problems.push({ variable: `STEVEDORE_CONFIG ${key}`, reason: 'must be a non-empty string' });
    return {};
  }
  return { [as]: value } as Record<K, string>;
}

function optionalApiVersion(
  o: Record<string, unknown>,
  problems: { variable: string; reason: string }[],
): { minApiVersion?: string } {
  const value = o['min-api-version'];
  if (value === undefined) return {};
  if (typeof value !== 'string' || !API_VERSION_PATTERN.test(value)) {
    problems.push({ variable: 'STEVEDORE_CONFIG min-api-version', reason: API_VERSION_PROBLEM });
    return {};
  }
  return { minApiVersion: value };
}

function optionalWhole<K extends string>(
  o: Record<string, unknown>,
  key: string,
  as: K,
  [min, max]: [number, number],
  problems: { variable: string; reason: string }[],
) {
  const value = o[key];
  if (value === undefined) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push({
      variable: `STEVEDORE_CONFIG ${key}`,
      reason: `must be a whole number from ${min} to ${max}`,
    });
    return {};
  }
  return { [as]: value } as Record<K, number>;
}

/** optionalAmount reads a number of at least 0 (hours may be fractional; bytes are whole). */
function optionalAmount<K extends 'ingestMaxAgeHours' | 'ingestMaxBytes'>(
  o: Record<string, unknown>,
  key: string,
  as: K,
  problems: { variable: string; reason: string }[],
): Partial<Record<K, number>> {
  const value = o[key];
  if (value === undefined) return {};
  const whole = as === 'ingestMaxBytes';
  const valid =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    (!whole || Number.isSafeInteger(value));
  if (!valid) {
    const reason = whole
      ? 'must be a whole number of at least 0'
      : 'must be a number of at least 0';
    problems.push({ variable: `STEVEDORE_CONFIG ${key}`, reason });
    return {};
  }
  return { [as]: value } as Partial<Record<K, number>>;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
