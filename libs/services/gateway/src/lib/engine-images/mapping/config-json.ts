import type { ImageInspectConfig } from '../engine-types';

/** RawHistoryEntry is one `history[]` entry of an image config, as far as the Engine API uses it. */
export interface RawHistoryEntry {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** RawImageConfig is the part of an image config JSON the Engine API answers are built from. */
export interface RawImageConfig {
  created?: string;
  author?: string;
  comment?: string;
  docker_version?: string;
  osVersion?: string;
  config: ImageInspectConfig;
  diffIds: string[];
  history: RawHistoryEntry[];
}

// API 1.50 reports only the image-config keys of `Config`; container-only keys are dropped.
const CONFIG_KEYS = [
  'User',
  'ExposedPorts',
  'Env',
  'Cmd',
  'Healthcheck',
  'ArgsEscaped',
  'Volumes',
  'WorkingDir',
  'Entrypoint',
  'OnBuild',
  'Labels',
  'StopSignal',
  'Shell',
] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function historyEntry(value: unknown): RawHistoryEntry {
  if (!isObject(value)) return {};
  const entry: RawHistoryEntry = {};
  const created = str(value['created']);
  const createdBy = str(value['created_by']);
  const comment = str(value['comment']);
  if (created !== undefined) entry.created = created;
  if (createdBy !== undefined) entry.created_by = createdBy;
  if (comment !== undefined) entry.comment = comment;
  if (value['empty_layer'] === true) entry.empty_layer = true;
  return entry;
}

function pickConfig(value: unknown): ImageInspectConfig {
  if (!isObject(value)) return {};
  const picked: ImageInspectConfig = {};
  for (const key of CONFIG_KEYS) {
    if (value[key] !== undefined) picked[key] = value[key];
  }
  return picked;
}

/**
 * readImageConfig extracts what inspect and history need from a stored config JSON. The record was
 * validated when it was pulled, so this is lenient: anything unreadable counts as absent.
 */
export function readImageConfig(configJson: string): RawImageConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(configJson);
  } catch {
    parsed = {};
  }
  const root = isObject(parsed) ? parsed : {};
  const rootfs = isObject(root['rootfs']) ? root['rootfs'] : {};
  const diffIds = Array.isArray(rootfs['diff_ids'])
    ? rootfs['diff_ids'].filter((d): d is string => typeof d === 'string')
    : [];
  const history = Array.isArray(root['history']) ? root['history'].map(historyEntry) : [];
  const raw: RawImageConfig = {
    config: pickConfig(root['config']),
    diffIds,
    history,
  };
  for (const [key, field] of [
    ['created', 'created'],
    ['author', 'author'],
    ['comment', 'comment'],
    ['docker_version', 'docker_version'],
    ['osVersion', 'os.version'],
  ] as const) {
    const value = str(root[field]);
    if (value !== undefined) raw[key] = value;
  }
  return raw;
}

/** unixSeconds turns an RFC 3339 time into whole unix seconds (Docker's int64 `Created`); 0 when absent or unreadable. */
export function unixSeconds(time: string | undefined): number {
  const ms = time === undefined ? NaN : Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}
