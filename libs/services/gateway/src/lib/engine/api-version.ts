import {
  API_VERSION,
  DEFAULT_MIN_API_VERSION,
  MAX_API_VERSION,
  OLDEST_API_VERSION,
} from './engine-api';

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
 * `minimum`…MAX_API_VERSION, or undefined when the gateway serves that version.
 */
export function apiVersionProblem(
  version: string,
  minimum: string = DEFAULT_MIN_API_VERSION,
): string | undefined {
  if (compareApiVersions(version, MAX_API_VERSION) > 0) {
    return `client version ${version} is too new. Maximum supported API version is ${MAX_API_VERSION}`;
  }
  if (compareApiVersions(version, minimum) < 0) {
    return (
      `client version ${version} is too old. Minimum supported API version is ${minimum}, ` +
      'please upgrade your client to a newer version'
    );
  }
  return undefined;
}

const DOTTED_VERSION = /^[0-9]+\.[0-9]+$/;

/**
 * resolveMinApiVersion is the operator's minimum API version: `DOCKER_MIN_API_VERSION` (the
 * process environment, as dockerd reads it) wins over the config file's `min-api-version`, so a
 * systemd drop-in can lower the floor without editing the file; DEFAULT_MIN_API_VERSION when
 * neither is set. Like dockerd, it refuses a value outside OLDEST_API_VERSION…API_VERSION.
 */
export function resolveMinApiVersion(fromEnv?: string, fromConfig?: string): string {
  const [source, value] =
    fromEnv !== undefined && fromEnv !== ''
      ? ['DOCKER_MIN_API_VERSION', fromEnv]
      : ['min-api-version', fromConfig];
  if (value === undefined) return DEFAULT_MIN_API_VERSION;
  const inRange =
    DOTTED_VERSION.test(value) &&
    compareApiVersions(value, OLDEST_API_VERSION) >= 0 &&
    compareApiVersions(value, API_VERSION) <= 0;
  if (!inRange) {
    throw new Error(
      `invalid ${source} ${value}: must be an API version from ${OLDEST_API_VERSION} to ${API_VERSION}`,
    );
  }
  return value;
}

/**
 * jsonErrors says whether errors at API `version` are `{"message"}` JSON: dockerd writes them as
 * plain text up to 1.23 (moby's httputils.MakeErrorHandler), which only a lowered floor exposes.
 */
export function jsonErrors(version: string): boolean {
  return compareApiVersions(version, '1.23') > 0;
}

/**
 * IMAGE_API_CHANGES are the API versions at which dockerd changed an image answer; a request
 * below the version gets the older shape (moby's image router and the Engine API version history).
 */
export const IMAGE_API_CHANGES = {
  /** `GET /images/json?filter=<pattern>` (a `reference` filter) was removed in 1.41. */
  legacyListFilter: '1.41',
  /** `BuilderSize` of `GET /system/df` (the build cache's total) was dropped in 1.42. */
  dfBuilderSize: '1.42',
  /** `VirtualSize` (equal to `Size`) of image inspect, `GET /images/json` and `/system/df` was dropped in 1.44. */
  inspectVirtualSize: '1.44',
  /** Image inspect's `Container` and `ContainerConfig` were dropped in 1.45. */
  inspectContainerConfig: '1.45',
  /** `GET /images/json?manifests=1` (each image's `Manifests`) arrived in 1.47. */
  listManifests: '1.47',
  /** `platform` (JSON) on save and load arrived in 1.48; dockerd ignores it before. */
  archivePlatform: '1.48',
  /** `platform` (JSON) on image inspect arrived in 1.49; dockerd ignores it before. */
  inspectPlatform: '1.49',
  /** From 1.50, image inspect's `Config` holds only the keys the image config sets. */
  inspectImageConfigOnly: '1.50',
  /** From 1.51, `GET /images/json` counts each image's containers (-1, not computed, before). */
  listContainersCount: '1.51',
} as const;

/** apiBefore says whether the requested API `version` predates the image-API `change`. */
export function apiBefore(version: string, change: keyof typeof IMAGE_API_CHANGES): boolean {
  return compareApiVersions(version, IMAGE_API_CHANGES[change]) < 0;
}
