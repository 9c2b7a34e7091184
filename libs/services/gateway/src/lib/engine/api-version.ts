import { MAX_API_VERSION, MIN_API_VERSION } from './engine-api';

// `/v1.50/images/json`, `/v1.50?x=1`, `/v1.50`: Docker's router takes `/v{version:[0-9.]+}`.
const VERSION_PREFIX = /^\/v([0-9]+(?:\.[0-9]+)*)(?=[/?]|$)/;

/** VersionedPath is a request URL split into its optional `/vX.Y` API version and the rest. */
export interface VersionedPath {
  readonly version?: string;
  readonly url: string;
}

/**
 * splitVersionPrefix separates a leading `/vX.Y` from `url` (query kept); the remainder always
 * starts with `/`. A URL without such a prefix comes back unchanged and without a version.
 */
export function splitVersionPrefix(url: string): VersionedPath {
  const match = VERSION_PREFIX.exec(url);
  if (match === null || match[1] === undefined) return { url };
  const rest = url.slice(match[0].length);
  return { version: match[1], url: rest.startsWith('/') ? rest : `/${rest}` };
}

/**
 * compareApiVersions orders two dotted API versions numerically, a missing part counting as 0
 * (Docker's `versions.Compare`): negative when a < b, 0 when equal, positive when a > b.
 */
export function compareApiVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * apiVersionProblem returns the Docker daemon's 400 message for a path version outside
 * MIN_API_VERSION…MAX_API_VERSION, or undefined when the gateway serves that version.
 */
export function apiVersionProblem(version: string): string | undefined {
  if (compareApiVersions(version, MAX_API_VERSION) > 0) {
    return `client version ${version} is too new. Maximum supported API version is ${MAX_API_VERSION}`;
  }
  if (compareApiVersions(version, MIN_API_VERSION) < 0) {
    return (
      `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, ` +
      'please upgrade your client to a newer version'
    );
  }
  return undefined;
}
