import { HeaderMap, firstHeader } from './headers';

/** RateLimit is what a registry said about its pull quota on one response (Docker Hub headers, §2.9). */
export interface RateLimit {
  readonly limit?: number;
  readonly remaining?: number;
  /** window length in seconds (the `w=` parameter). */
  readonly windowSeconds?: number;
  /** the IP or account the quota is counted against. */
  readonly source?: string;
}

function parseQuota(value: string | undefined): { count?: number; window?: number } {
  if (value === undefined) return {};
  const count = /^\s*(\d+)/.exec(value)?.[1];
  const window = /;\s*w=(\d+)/.exec(value)?.[1];
  return {
    ...(count ? { count: Number(count) } : {}),
    ...(window ? { window: Number(window) } : {}),
  };
}

/**
 * parseRateLimit reads `RateLimit-Limit`/`RateLimit-Remaining` (`N;w=S`, lenient) and
 * `Docker-RateLimit-Source`, also accepting the `X-RateLimit-*` spellings; undefined when none is present
 * (the pull is not limited).
 */
export function parseRateLimit(headers: HeaderMap): RateLimit | undefined {
  const limit = parseQuota(
    firstHeader(headers, 'ratelimit-limit') ?? firstHeader(headers, 'x-ratelimit-limit'),
  );
  const remaining = parseQuota(
    firstHeader(headers, 'ratelimit-remaining') ?? firstHeader(headers, 'x-ratelimit-remaining'),
  );
  const source = firstHeader(headers, 'docker-ratelimit-source');
  if (limit.count === undefined && remaining.count === undefined && source === undefined)
    return undefined;
  const windowSeconds = limit.window ?? remaining.window;
  return {
    ...(limit.count !== undefined ? { limit: limit.count } : {}),
    ...(remaining.count !== undefined ? { remaining: remaining.count } : {}),
    ...(windowSeconds !== undefined ? { windowSeconds } : {}),
    ...(source !== undefined ? { source } : {}),
  };
}
