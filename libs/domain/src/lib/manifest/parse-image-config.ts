import { DomainError } from '../errors/domain-error';
import { readPlatformFields } from './descriptor';
import { StoredDocument } from './documents';
import { ContainerConfig, HealthConfig, HistoryEntry, ImageConfig } from './image-config';
import { JsonObject, JsonReader, decodeJson } from './json-reader';
import { ParseDocumentOptions, verifyDocument } from './parse-manifest';

/** ParsedImageConfig is a validated image config with its exact bytes, their digest, and the raw JSON (unknown fields kept). */
export interface ParsedImageConfig extends StoredDocument {
  readonly config: ImageConfig;
  readonly raw: JsonObject;
}

/** compact drops undefined fields so optional properties are absent rather than present-but-undefined. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function readHealth(r: JsonReader): HealthConfig {
  return compact({
    Test: r.optStringArray('Test'),
    Interval: r.optNumber('Interval'),
    Timeout: r.optNumber('Timeout'),
    StartPeriod: r.optNumber('StartPeriod'),
    StartInterval: r.optNumber('StartInterval'),
    Retries: r.optNumber('Retries'),
  });
}

function readContainerConfig(r: JsonReader): ContainerConfig {
  const health = r.optChild('Healthcheck');
  return compact({
    User: r.optString('User'),
    ExposedPorts: r.optObjectMap('ExposedPorts'),
    Env: r.optStringArray('Env'),
    Entrypoint: r.optStringArray('Entrypoint'),
    Cmd: r.optStringArray('Cmd'),
    Volumes: r.optObjectMap('Volumes'),
    WorkingDir: r.optString('WorkingDir'),
    Labels: r.optStringMap('Labels'),
    StopSignal: r.optString('StopSignal'),
    ArgsEscaped: r.optBoolean('ArgsEscaped'),
    Healthcheck: health && readHealth(health),
    OnBuild: r.optStringArray('OnBuild'),
    Shell: r.optStringArray('Shell'),
  });
}

function readHistoryEntry(r: JsonReader): HistoryEntry {
  return compact({
    created: r.optString('created'),
    author: r.optString('author'),
    created_by: r.optString('created_by'),
    comment: r.optString('comment'),
    empty_layer: r.optBoolean('empty_layer'),
  });
}

function readRootfs(r: JsonReader): ImageConfig['rootfs'] {
  const type = r.string('type');
  if (type !== 'layers') {
    throw DomainError.invalidArgument(
      `invalid image config: rootfs.type must be "layers", got "${type}"`,
    );
  }
  return { type: 'layers', diff_ids: r.digests('diff_ids') };
}

/**
 * parseImageConfig validates the exact bytes of an image config: `architecture` and `os` strings,
 * `rootfs.type` `"layers"` and every `rootfs.diff_ids` entry a digest, and the optional `config` and
 * `history` blocks (null counts as absent). Throws INVALID_ARGUMENT `invalid image config: …`, or
 * DIGEST_MISMATCH when `options` name a different digest/size. The result keeps the original bytes.
 */
export function parseImageConfig(
  bytes: Uint8Array,
  options: ParseDocumentOptions = {},
): ParsedImageConfig {
  const stored = verifyDocument(bytes, options);
  const r = JsonReader.root(decodeJson(bytes, 'image config'), 'image config');
  const inner = r.optChild('config');
  const config: ImageConfig = compact({
    ...readPlatformFields(r),
    created: r.optString('created'),
    author: r.optString('author'),
    config: inner && readContainerConfig(inner),
    rootfs: readRootfs(r.child('rootfs')),
    history: r.has('history') ? r.items('history').map(readHistoryEntry) : undefined,
  });
  return { ...stored, config, raw: r.raw };
}
