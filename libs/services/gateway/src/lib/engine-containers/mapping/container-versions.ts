import type { ContainerJsonV1 } from '@stevedore/contracts';
import { compareApiVersions } from '../../engine/api-version';

/**
 * CONTAINER_API_CHANGES are the API versions at which dockerd changed a container answer; a
 * request below the version gets the older behaviour (moby's container router and the Engine API
 * version history).
 */
export const CONTAINER_API_CHANGES = {
  /** `POST /containers/{id}/wait` answers headers at once and reads `condition` from 1.30. */
  waitCondition: '1.30',
  /** `platform` on create is read from 1.41. */
  createPlatform: '1.41',
  /** Logs and attach of a non-TTY container are `multiplexed-stream` from 1.42 (raw-stream before). */
  multiplexedStream: '1.42',
  /** `signal` on stop and restart is read from 1.42. */
  stopSignal: '1.42',
  /** The container-wide `Config.MacAddress` is gone from inspect from 1.44 (per network since). */
  configMacAddress: '1.44',
} as const;

/** containerApiBefore says whether the requested API `version` predates the container-API `change`. */
export function containerApiBefore(
  version: string,
  change: keyof typeof CONTAINER_API_CHANGES,
): boolean {
  return compareApiVersions(version, CONTAINER_API_CHANGES[change]) < 0;
}

/** streamContentType is the media type of a log or hijacked stream at API `version`. */
export function streamContentType(tty: boolean, version: string): string {
  return tty || containerApiBefore(version, 'multiplexedStream')
    ? 'application/vnd.docker.raw-stream'
    : 'application/vnd.docker.multiplexed-stream';
}

function defaultMacAddress(c: ContainerJsonV1): string {
  const mode = String(c.HostConfig['NetworkMode'] ?? '');
  const networks = (c.NetworkSettings['Networks'] ?? {}) as Record<string, { MacAddress?: string }>;
  return networks[mode === 'default' ? 'bridge' : mode]?.MacAddress ?? '';
}

/**
 * containerInspectForVersion shapes an inspect answer for the client's API version as dockerd
 * does: sizes only when asked for (`size=1`); below 1.44 `Config.MacAddress` is the default
 * network's, from 1.44 it is absent.
 */
export function containerInspectForVersion(
  c: ContainerJsonV1,
  version: string,
  size: boolean,
): ContainerJsonV1 {
  const { SizeRw, SizeRootFs, ...rest } = c;
  const { MacAddress: _mac, ...config } = c.Config;
  const legacy = containerApiBefore(version, 'configMacAddress');
  const mac = legacy ? { MacAddress: c.Config['MacAddress'] ?? defaultMacAddress(c) } : {};
  const shaped: ContainerJsonV1 = { ...rest, Config: { ...config, ...mac } };
  if (!size) return shaped;
  // dockerd puts the sizes after GraphDriver.
  const { Mounts, Config, NetworkSettings, ...head } = shaped;
  return {
    ...head,
    SizeRw: SizeRw ?? 0,
    SizeRootFs: SizeRootFs ?? 0,
    Mounts,
    Config,
    NetworkSettings,
  };
}
