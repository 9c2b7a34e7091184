import type { ImageRecord } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { compareApiVersions } from '../../engine/api-version';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** CreateParts are a create body's three objects, as the runtime takes them. */
export interface CreateParts {
  config: Json;
  hostConfig: Json;
  networkingConfig: Json;
}

/**
 * splitCreateBody separates `POST /containers/create`'s body into `Config`, `HostConfig` and
 * `NetworkingConfig` (dockerd's ContainerConfigWrapper), applying what the API version changes:
 * below 1.25 the client removes the container itself, so `AutoRemove` is dropped.
 */
export function splitCreateBody(body: unknown, version: string): CreateParts {
  if (!isObject(body) || Object.keys(body).length === 0)
    throw DomainError.invalidArgument('Config cannot be empty in order to create a container');
  const { HostConfig, NetworkingConfig, ...config } = body;
  const hostConfig: Json = isObject(HostConfig) ? { ...HostConfig } : {};
  if (compareApiVersions(version, '1.25') < 0) hostConfig['AutoRemove'] = false;
  return {
    config,
    hostConfig,
    networkingConfig: isObject(NetworkingConfig) ? NetworkingConfig : {},
  };
}

/**
 * platformMismatch is dockerd's answer when the image a name resolved to is not for `platform`
 * `ref` (a 404, so the CLI pulls the platform asked for), or undefined when it matches.
 */
export function platformMismatch(
  image: ImageRecord,
  platform: string,
  ref: string,
): string | undefined {
  const [os, arch, variant] = platform.split('/');
  const actual = [image.os, image.architecture, image.variant].filter(Boolean).join('/');
  const same =
    image.os === os && image.architecture === arch && (!variant || image.variant === variant);
  if (same) return undefined;
  return `image with reference ${ref} was found but does not match the specified platform: wanted ${platform}, actual: ${actual}`;
}
