import { DomainError } from '@stevedore/domain';
import type {
  AttachOptions,
  ExecStartOptions,
  LogsOptions,
  PathStat,
  PutArchiveOptions,
} from './container-io.port';
import type { BuildRequest } from './image-builder.port';

/**
 * The runtime's internal HTTP protocol (cluster topology; embedded mode calls the runtime's
 * ContainerIo directly). Paths are relative to the runtime's internal base URL; `{id}` is
 * URL-encoded, booleans are `1` or `0`:
 *
 *   POST /containers/{id}/attach?stream&logs&stdin&stdout&stderr&detachKeys   Upgrade: tcp
 *                                              101, `x-stevedore-tty`, then raw bytes both ways
 *   POST /exec/{id}/start?detach&tty           Upgrade: tcp, the same
 *   GET  /containers/{id}/logs?follow&stdout&stderr&since&until&timestamps&tail
 *                                              200, `x-stevedore-tty`, the log bytes streamed
 *   HEAD /containers/{id}/archive?path         200, `x-docker-container-path-stat`
 *   GET  /containers/{id}/archive?path         200, the stat header, a tar streamed
 *   PUT  /containers/{id}/archive?path&noOverwriteDirNonDir&copyUIDGID   body = a tar; 204
 *   GET  /containers/{id}/export               200, the root filesystem as a tar streamed
 *   POST /build                                `x-stevedore-build` (base64 JSON BuildRequest),
 *                                              `x-registry-config`; body = the context streamed;
 *                                              200, Docker's JSON lines streamed (a client that
 *                                              goes away cancels the build)
 *
 * An error before the first byte (or the upgrade) is `{code, message}` JSON with the status of
 * `@stevedore/internal-http`'s map, and for HEAD the same JSON base64 in `x-stevedore-error`, so
 * the gateway rebuilds the runtime's DomainError. One that fails later cuts the stream.
 */
export const RUNTIME_HEADERS = {
  build: 'x-stevedore-build',
  registryConfig: 'x-registry-config',
  tty: 'x-stevedore-tty',
  stat: 'x-docker-container-path-stat',
  error: 'x-stevedore-error',
} as const;

/** containerPath is `/containers/{id}/{what}`. */
export function containerPath(id: string, what: 'attach' | 'logs' | 'archive' | 'export'): string {
  return `/containers/${encodeURIComponent(id)}/${what}`;
}

/** execStartPath is `/exec/{id}/start`. */
export function execStartPath(execId: string): string {
  return `/exec/${encodeURIComponent(execId)}/start`;
}

/** A route of the protocol, as the server reads it from a request's path. */
export type RuntimeRoute =
  | { kind: 'attach' | 'logs' | 'archive' | 'export'; id: string }
  | { kind: 'exec'; id: string }
  | { kind: 'build'; id: '' };

/** BUILD_PATH is the classic builder's route. */
export const BUILD_PATH = '/build';

/** routeOf reads a request path, or undefined when it is not one of the protocol's. */
export function routeOf(pathname: string): RuntimeRoute | undefined {
  if (pathname === BUILD_PATH) return { kind: 'build', id: '' };
  const container = /^\/containers\/([^/]+)\/(attach|logs|archive|export)$/.exec(pathname);
  if (container)
    return {
      kind: container[2] as 'attach' | 'logs' | 'archive' | 'export',
      id: decodeURIComponent(container[1] as string),
    };
  const exec = /^\/exec\/([^/]+)\/start$/.exec(pathname);
  return exec ? { kind: 'exec', id: decodeURIComponent(exec[1] as string) } : undefined;
}

/** queryOf encodes options as a query string: booleans as 1/0, absent fields left out. */
export function queryOf(options: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    params.append(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

function flag(url: URL, key: string): boolean {
  const value = url.searchParams.get(key);
  if (value === '1') return true;
  if (value === '0' || value === null) return false;
  throw DomainError.invalidArgument(`invalid request: ${key} must be 1 or 0`);
}

function seconds(url: URL, key: string): number {
  const value = Number(url.searchParams.get(key) ?? '0');
  if (!Number.isFinite(value) || value < 0)
    throw DomainError.invalidArgument(`invalid request: ${key} must be unix seconds`);
  return value;
}

/** attachOptionsOf reads an attach request's query. */
export function attachOptionsOf(url: URL): AttachOptions {
  const detachKeys = url.searchParams.get('detachKeys');
  return {
    stream: flag(url, 'stream'),
    logs: flag(url, 'logs'),
    stdin: flag(url, 'stdin'),
    stdout: flag(url, 'stdout'),
    stderr: flag(url, 'stderr'),
    ...(detachKeys ? { detachKeys } : {}),
  };
}

/** execStartOptionsOf reads an exec start request's query. */
export function execStartOptionsOf(url: URL): ExecStartOptions {
  return { detach: flag(url, 'detach'), tty: flag(url, 'tty') };
}

/** logsOptionsOf reads a logs request's query (`tail` defaults to all). */
export function logsOptionsOf(url: URL): LogsOptions {
  const tail = url.searchParams.get('tail') ?? 'all';
  if (tail !== 'all' && !/^-?\d+$/.test(tail))
    throw DomainError.invalidArgument('invalid request: tail must be `all` or a number');
  return {
    follow: flag(url, 'follow'),
    stdout: flag(url, 'stdout'),
    stderr: flag(url, 'stderr'),
    since: seconds(url, 'since'),
    until: seconds(url, 'until'),
    timestamps: flag(url, 'timestamps'),
    tail,
  };
}

/** archivePathOf reads the `path` of an archive request. */
export function archivePathOf(url: URL): string {
  const path = url.searchParams.get('path');
  if (!path) throw DomainError.invalidArgument('invalid request: path is required');
  return path;
}

/** putArchiveOptionsOf reads a PUT archive request's query. */
export function putArchiveOptionsOf(url: URL): PutArchiveOptions {
  return {
    path: archivePathOf(url),
    noOverwriteDirNonDir: flag(url, 'noOverwriteDirNonDir'),
    copyUIDGID: flag(url, 'copyUIDGID'),
  };
}

/** statHeaderOf is Docker's `X-Docker-Container-Path-Stat` value: base64 JSON. */
export function statHeaderOf(stat: PathStat): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}

/** statOf reads a stat header back. */
export function statOf(header: string | string[] | undefined): PathStat {
  if (typeof header !== 'string')
    throw new DomainError('INTERNAL', 'the runtime answered no path stat');
  return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
}

/** buildHeaderOf carries a BuildRequest in a header (its maps and lists do not fit a query). */
export function buildHeaderOf(request: BuildRequest): string {
  return Buffer.from(JSON.stringify(request)).toString('base64');
}

/** buildRequestOf reads the header back; a missing or malformed one is INVALID_ARGUMENT. */
export function buildRequestOf(header: string | string[] | undefined): BuildRequest {
  if (typeof header !== 'string')
    throw DomainError.invalidArgument('invalid request: the build request header is missing');
  try {
    const request = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as BuildRequest;
    if (typeof request !== 'object' || request === null || !Array.isArray(request.tags))
      throw new Error('not a build request');
    return request;
  } catch {
    throw DomainError.invalidArgument('invalid request: the build request header is malformed');
  }
}
