import { applyChanges, type ChangedConfig } from '@stevedore/domain';
import { mergeEnv } from '../config/merge-config';
import type { DockerConfig } from '../store/container-record';

/** GoConfig is a container `Config` as JSON, in the field order dockerd's Go struct writes it. */
export type GoConfig = Record<string, unknown>;

/**
 * commitConfigOf is the `config` of a committed image, as dockerd 20.10's
 * `CreateImageFromContainer`: the request's `Config` body (or, without one, the container's),
 * the `--change` lines applied on top (`BuildFromConfig`), then the container's config merged
 * under it (`merge`). Bad change lines throw INVALID_ARGUMENT before any work.
 */
export function commitConfigOf(
  container: DockerConfig,
  body: Record<string, unknown> | undefined,
  changes: readonly string[],
): GoConfig {
  const base: GoConfig = body === undefined ? structuredClone({ ...container }) : { ...body };
  const changed = applyChanges(base as ChangedConfig, changes) as GoConfig;
  // An ENTRYPOINT line drops Cmd: dockerd sets it to nil, which it writes as null.
  if (!('Cmd' in changed)) changed['Cmd'] = null;
  return goOrdered(mergeCommit(changed, container as unknown as GoConfig));
}

/**
 * mergeCommit is dockerd's `merge(userConf, imageConf)` (daemon/commit.go): what the user's
 * config leaves empty comes from the container's; Env and ExposedPorts are completed key by
 * key, Labels keep the user's value for a key, Volumes take the container's on top; the
 * container's Cmd is kept only when the user gives neither Entrypoint nor Cmd.
 */
export function mergeCommit(user: GoConfig, container: GoConfig): GoConfig {
  const out: GoConfig = { ...user };
  out['User'] = str(user['User']) || (container['User'] ?? '');
  out['ExposedPorts'] = completeMap(user['ExposedPorts'], container['ExposedPorts'], false);
  out['Env'] = mergeEnv(list(user['Env']), (container['Env'] as string[] | null) ?? null);
  out['Labels'] = { ...(map(container['Labels']) ?? {}), ...(map(user['Labels']) ?? {}) };
  if (list(user['Entrypoint']).length === 0) {
    if (list(user['Cmd']).length === 0) out['Cmd'] = container['Cmd'] ?? null;
    if (user['Entrypoint'] === undefined || user['Entrypoint'] === null)
      out['Entrypoint'] = container['Entrypoint'] ?? null;
  }
  out['Healthcheck'] = mergeHealth(map(user['Healthcheck']), map(container['Healthcheck']));
  out['WorkingDir'] = str(user['WorkingDir']) || (container['WorkingDir'] ?? '');
  out['Volumes'] = completeMap(user['Volumes'], container['Volumes'], true);
  out['StopSignal'] = str(user['StopSignal']) || container['StopSignal'];
  return out;
}

/** completeMap: an empty user map takes the container's; else adds its keys (`override`: Volumes). */
function completeMap(user: unknown, container: unknown, override: boolean): unknown {
  const mine = map(user);
  const theirs = map(container);
  if (!mine || Object.keys(mine).length === 0) return theirs ?? null;
  return override ? { ...mine, ...(theirs ?? {}) } : { ...(theirs ?? {}), ...mine };
}

function mergeHealth(
  user: Record<string, unknown> | undefined,
  container: Record<string, unknown> | undefined,
): unknown {
  if (!container) return user;
  if (!user) return container;
  const out = { ...user };
  if (list(out['Test']).length === 0) out['Test'] = container['Test'];
  for (const key of ['Interval', 'Timeout', 'StartPeriod', 'Retries']) {
    if (!out[key]) out[key] = container[key];
  }
  return out;
}

// Go's container.Config: each field with whether it is `omitempty`.
const FIELDS: [string, boolean][] = [
  ['Hostname', false],
  ['Domainname', false],
  ['User', false],
  ['AttachStdin', false],
  ['AttachStdout', false],
  ['AttachStderr', false],
  ['ExposedPorts', true],
  ['Tty', false],
  ['OpenStdin', false],
  ['StdinOnce', false],
  ['Env', false],
  ['Cmd', false],
  ['Healthcheck', true],
  ['ArgsEscaped', true],
  ['Image', false],
  ['Volumes', false],
  ['WorkingDir', false],
  ['Entrypoint', false],
  ['NetworkDisabled', true],
  ['MacAddress', true],
  ['OnBuild', false],
  ['Labels', false],
  ['StopSignal', true],
  ['StopTimeout', true],
  ['Shell', true],
];

const ZERO: Record<string, unknown> = {
  Hostname: '',
  Domainname: '',
  User: '',
  AttachStdin: false,
  AttachStdout: false,
  AttachStderr: false,
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  Image: '',
  WorkingDir: '',
};

/** goOrdered writes a config as Go's encoder does: struct order, zero values, empty omitempty dropped. */
export function goOrdered(config: GoConfig): GoConfig {
  const out: GoConfig = {};
  for (const [key, omitEmpty] of FIELDS) {
    const value = config[key];
    if (omitEmpty && isEmpty(value)) continue;
    out[key] = MAPS.has(key) ? sortedKeys(value) : (value ?? ZERO[key] ?? null);
  }
  return out;
}

/** The fields that are Go maps: encoding/json writes their keys sorted. */
const MAPS = new Set(['ExposedPorts', 'Volumes', 'Labels']);

function sortedKeys(value: unknown): unknown {
  const m = map(value);
  if (!m) return value ?? null;
  return Object.fromEntries(
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]]),
  );
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === 0)
    return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? (value as string[]) : [];
}

function map(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
