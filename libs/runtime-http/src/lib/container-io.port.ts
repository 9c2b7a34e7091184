import type { Duplex, Readable } from 'node:stream';

/** CONTAINER_IO is the injection token under which a {@link ContainerIo} is provided. */
export const CONTAINER_IO = Symbol('ContainerIo');

/** AttachOptions are `POST /containers/{id}/attach`'s query (and `docker start -a`'s). */
export interface AttachOptions {
  stream: boolean;
  logs: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** Docker's `detachKeys` (default ctrl-p,ctrl-q). */
  detachKeys?: string;
}

/** ExecStartOptions are `POST /exec/{id}/start`'s body. */
export interface ExecStartOptions {
  detach: boolean;
  tty: boolean;
}

/**
 * Session is a stream the runtime has agreed to serve: errors (no such container, not running)
 * were thrown before it was returned, so the gateway can still answer them as JSON. `tty` says
 * whether the bytes are raw (a TTY) or Docker's multiplexed frames. `run` takes over the
 * hijacked client connection and resolves when the session ends.
 */
export interface Session {
  readonly tty: boolean;
  run(conn: Duplex): Promise<void>;
}

/** LogsOptions are `GET /containers/{id}/logs`'s query. */
export interface LogsOptions {
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  /** Unix seconds (fractional), 0 for none. */
  since: number;
  until: number;
  timestamps: boolean;
  /** `all` or a count of lines from the end. */
  tail: string;
}

/** PathStat is Docker's `X-Docker-Container-Path-Stat` (base64 JSON of this). */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** PutArchiveOptions are `PUT /containers/{id}/archive`'s query. */
export interface PutArchiveOptions {
  path: string;
  noOverwriteDirNonDir: boolean;
  copyUIDGID: boolean;
}

/**
 * ContainerIo is the runtime's byte streams as the gateway calls them: attach and exec sessions,
 * logs, `docker cp` and `docker export`. The embedded topology binds the runtime directly, a
 * cluster gateway an HTTP client of the owning runtime's internal endpoint. `signal` stops the
 * work when the client goes.
 */
export interface ContainerIo {
  attach(id: string, options: AttachOptions): Promise<Session>;
  execStart(execId: string, options: ExecStartOptions): Promise<Session>;
  /** Resolves once the container is known, with the framed (or raw, for a TTY) log bytes. */
  logs(
    id: string,
    options: LogsOptions,
    signal?: AbortSignal,
  ): Promise<{ tty: boolean; body: Readable }>;
  statPath(id: string, path: string): Promise<PathStat>;
  getArchive(
    id: string,
    path: string,
    signal?: AbortSignal,
  ): Promise<{ stat: PathStat; body: Readable }>;
  putArchive(
    id: string,
    options: PutArchiveOptions,
    tar: Readable,
    signal?: AbortSignal,
  ): Promise<void>;
  export(id: string, signal?: AbortSignal): Promise<Readable>;
}
