import { BUILD_INFO } from '../build-info';
import { hostOs } from '../system/host-platform';

/**
 * API_VERSION is the Engine API version the gateway advertises in `Api-Version`: the docker CLI
 * 28.2.2 uses min(1.50, advertised), and 1.50 is what its `--platform` flags need.
 */
export const API_VERSION = '1.50';

/**
 * DEFAULT_MIN_API_VERSION is the oldest `/vX.Y` path prefix accepted unless the operator sets
 * `min-api-version` or `DOCKER_MIN_API_VERSION`: low enough for Debian bookworm's skopeo 1.9,
 * podman 4.3 and buildah 1.28, whose `docker-daemon:` transport sends 1.22.
 */
export const DEFAULT_MIN_API_VERSION = '1.22';

/** OLDEST_API_VERSION is the lowest minimum an operator may set (dockerd's own floor). */
export const OLDEST_API_VERSION = '1.12';

/** MAX_API_VERSION is the newest `/vX.Y` path prefix accepted. */
export const MAX_API_VERSION = '1.51';

/** ENGINE_HEADERS are the headers every Engine API response carries, as a Docker daemon sends them. */
export const ENGINE_HEADERS: Readonly<Record<string, string>> = {
  'Api-Version': API_VERSION,
  Ostype: hostOs(),
  Server: `Stevedore/${BUILD_INFO.version} (${hostOs()})`,
};

/**
 * PING_HEADERS are the extra headers of `/_ping`. `Builder-Version` is deliberately absent, as from
 * a dockerd whose buildkit feature is unset: the gateway serves only the classic builder's
 * `POST /build`, which the CLI 28 falls back to without buildx, and promises no BuildKit (2).
 */
export const PING_HEADERS: Readonly<Record<string, string>> = {
  'Docker-Experimental': 'false',
  Swarm: 'inactive',
  'Cache-Control': 'no-cache, no-store, must-revalidate',
  Pragma: 'no-cache',
};
