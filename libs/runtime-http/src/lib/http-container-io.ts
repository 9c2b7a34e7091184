import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { DomainError } from '@stevedore/domain';
import { InternalPool, errorFromResponse, isUnreachable } from '@stevedore/internal-http';
import type {
  AttachOptions,
  ContainerIo,
  ExecStartOptions,
  LogsOptions,
  PathStat,
  PutArchiveOptions,
  Session,
} from './container-io.port';
import { RUNTIME_HEADERS, containerPath, execStartPath, queryOf, statOf } from './protocol';
import { PEER, relaySession, upgradeTo } from './upgrade';

/** A runtime's internal endpoint: its base URL and a pool of connections to it. */
interface Runtime {
  base: URL;
  pool: InternalPool;
}

/**
 * HttpContainerIo is the {@link ContainerIo} port spoken over the runtimes' internal HTTP
 * protocol: what a cluster gateway uses. Attach and exec are HTTP upgrades relayed byte for byte;
 * logs, `docker cp` and export stream with backpressure. A container belongs to the runtime of
 * the host that made it; with several runtimes, each is asked in turn until one knows the
 * container (NOT_FOUND moves on). Every request presents the cluster's internal token.
 */
export class HttpContainerIo implements ContainerIo {
  private readonly runtimes: Runtime[];

  constructor(
    baseUrls: readonly string[],
    private readonly token: string,
    connections = 16,
  ) {
    if (baseUrls.length === 0) throw new Error('HttpContainerIo needs at least one runtime');
    // No timeouts: logs follow and archives stream for as long as the client wants.
    const options = { connections, bodyTimeout: 0, headersTimeout: 0 };
    this.runtimes = baseUrls.map((url) => ({
      base: new URL(url),
      pool: new InternalPool(url, token, options, PEER),
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.runtimes.map((r) => r.pool.close()));
  }

  attach(id: string, options: AttachOptions): Promise<Session> {
    return this.hijack(`${containerPath(id, 'attach')}${queryOf(options)}`);
  }

  execStart(execId: string, options: ExecStartOptions): Promise<Session> {
    return this.hijack(`${execStartPath(execId)}${queryOf(options)}`);
  }

  async logs(id: string, options: LogsOptions, signal?: AbortSignal) {
    const path = `${containerPath(id, 'logs')}${queryOf(options)}`;
    const res = await this.owner((r) => this.read(r, 'GET', path, signal));
    return { tty: res.headers[RUNTIME_HEADERS.tty] === '1', body: res.body };
  }

  async statPath(id: string, path: string): Promise<PathStat> {
    const res = await this.owner((r) => this.read(r, 'HEAD', archivePath(id, path)));
    return statOf(res.headers[RUNTIME_HEADERS.stat]);
  }

  async getArchive(id: string, path: string, signal?: AbortSignal) {
    const res = await this.owner((r) => this.read(r, 'GET', archivePath(id, path), signal));
    return { stat: statOf(res.headers[RUNTIME_HEADERS.stat]), body: res.body };
  }

  async putArchive(
    id: string,
    options: PutArchiveOptions,
    tar: Readable,
    signal?: AbortSignal,
  ): Promise<void> {
    // A tar can be sent once: with several runtimes, find the owner with a stat first.
    const runtime =
      this.runtimes.length === 1
        ? (this.runtimes[0] as Runtime)
        : await this.owner(async (r) => (await this.read(r, 'HEAD', archivePath(id, '/')), r));
    const res = await runtime.pool.request({
      method: 'PUT',
      path: `${containerPath(id, 'archive')}${queryOf(options)}`,
      headers: { 'content-type': 'application/x-tar' },
      body: Readable.from(tar.iterator({ destroyOnReturn: false }), { objectMode: false }),
      signal,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw errorFromResponse(res.statusCode, text, PEER);
  }

  async export(id: string, signal?: AbortSignal): Promise<Readable> {
    const res = await this.owner((r) => this.read(r, 'GET', containerPath(id, 'export'), signal));
    return res.body;
  }

  private hijack(path: string): Promise<Session> {
    return this.owner(async (r) => {
      const { socket, tty } = await upgradeTo(r.base, path, this.token);
      return relaySession(socket, tty);
    });
  }

  /** read sends a bodiless request and answers the 2xx response, or throws the runtime's error. */
  private async read(
    runtime: Runtime,
    method: 'GET' | 'HEAD',
    path: string,
    signal?: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    const res = await runtime.pool.request({ method, path, signal });
    if (res.statusCode < 300) return res;
    const text = await res.body.text();
    const header = res.headers[RUNTIME_HEADERS.error];
    const body = typeof header === 'string' ? Buffer.from(header, 'base64').toString() : text;
    throw errorFromResponse(res.statusCode, body, PEER);
  }

  /**
   * owner runs `op` on each runtime in turn until one does not answer NOT_FOUND: the owner of the
   * container. When none knows it but one could not be reached, that one may be the owner, so the
   * answer is UNAVAILABLE rather than a NOT_FOUND that could be wrong.
   */
  private async owner<T>(op: (runtime: Runtime) => Promise<T>): Promise<T> {
    let notFound: unknown;
    let unreachable: unknown;
    for (const runtime of this.runtimes) {
      try {
        return await op(runtime);
      } catch (err) {
        if (isUnreachable(err) || isLost(err)) unreachable ??= err;
        else if (err instanceof DomainError && err.code === 'NOT_FOUND') notFound ??= err;
        else throw err;
      }
    }
    throw unreachable ?? notFound;
  }
}

function archivePath(id: string, path: string): string {
  return `${containerPath(id, 'archive')}${queryOf({ path })}`;
}

const isLost = (err: unknown) => err instanceof DomainError && err.code === 'UNAVAILABLE';
