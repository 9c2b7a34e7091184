import { apiBefore } from '../../engine/api-version';
import type { ImageInspect, ImageInspectConfig } from '../engine-types';

/** Marks a key Go's `omitempty` drops when unset. */
const OMIT = Symbol('omitempty');

/**
 * LEGACY_CONFIG is Docker's `container.Config` in its Go field order, with the zero value dockerd
 * serialised for an unset field before API 1.50 (or OMIT for `omitempty` fields): clients of that
 * era read `Config.Entrypoint` and friends without checking they exist.
 */
const LEGACY_CONFIG: readonly (readonly [string, unknown])[] = [
  ['Hostname', ''],
  ['Domainname', ''],
  ['User', ''],
  ['AttachStdin', false],
  ['AttachStdout', false],
  ['AttachStderr', false],
  ['ExposedPorts', OMIT],
  ['Tty', false],
  ['OpenStdin', false],
  ['StdinOnce', false],
  ['Env', null],
  ['Cmd', null],
  ['Healthcheck', OMIT],
  ['ArgsEscaped', OMIT],
  ['Image', ''],
  ['Volumes', null],
  ['WorkingDir', ''],
  ['Entrypoint', null],
  ['NetworkDisabled', OMIT],
  ['MacAddress', OMIT],
  ['OnBuild', null],
  ['Labels', null],
  ['StopSignal', OMIT],
  ['StopTimeout', OMIT],
  ['Shell', OMIT],
];

/** legacyConfig is `config` as a full pre-1.50 `container.Config`, unset keys at their zero value. */
export function legacyConfig(config: ImageInspectConfig): ImageInspectConfig {
  const full: ImageInspectConfig = {};
  for (const [key, zero] of LEGACY_CONFIG) {
    if (config[key] !== undefined) full[key] = config[key];
    else if (zero !== OMIT) full[key] = zero;
  }
  return full;
}

/**
 * inspectForVersion shapes an image inspect answer for the API version the client asked for, as
 * dockerd does: below 1.50 `Config` carries every `container.Config` key, below 1.45 the empty
 * `Container`/`ContainerConfig` come back, below 1.44 `VirtualSize` (equal to `Size`). Keys keep
 * dockerd's order, so a side-by-side diff with dockerd's JSON lines up.
 */
export function inspectForVersion(inspect: ImageInspect, version: string): ImageInspect {
  if (!apiBefore(version, 'inspectImageConfigOnly')) return inspect;
  const { Id, RepoTags, RepoDigests, Parent, Comment, Created, DockerVersion, Author } = inspect;
  const { Config, Size, GraphDriver, RootFS, Metadata, ...platform } = inspect;
  const container = apiBefore(version, 'inspectContainerConfig')
    ? { Container: '', ContainerConfig: legacyConfig({}) }
    : {};
  return {
    ...{ Id, RepoTags, RepoDigests, Parent, Comment, Created },
    ...container,
    ...{ DockerVersion, Author, Config: legacyConfig(Config) },
    ...platform,
    Size,
    ...(apiBefore(version, 'inspectVirtualSize') ? { VirtualSize: Size } : {}),
    ...{ GraphDriver, RootFS, Metadata },
  };
}
