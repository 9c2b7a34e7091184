import { Readable } from 'node:stream';
import type { Dispatcher, Pool } from 'undici';
import type {
  ImportResultV1,
  ImportRootfsV1,
  LoadArchiveV1,
  LoadResultV1,
  SaveArchiveV1,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { InternalPool, Replicas, errorFromResponse, isUnreachable } from '@stevedore/internal-http';
import type { Archives } from './archives.port';
import { ARCHIVE_PATHS, queryOf } from './protocol';
import { StreamBody } from './stream-body';

/**
 * HttpArchives is the {@link Archives} port spoken over the exporter's internal HTTP protocol:
 * what a cluster gateway uses. Streams both ways; several exporter replicas are taken in turn,
 * and one that cannot be reached is skipped while no byte of the stream has been sent to it.
 * Every request presents the cluster's internal token.
 */
export class HttpArchives implements Archives {
  private readonly replicas: Replicas<Pool>;

  constructor(baseUrls: readonly string[], token: string, connections = 16) {
    // No headers timeout: a load answers only once the whole archive is read and recorded.
    const options = { connections, bodyTimeout: 0, headersTimeout: 0 };
    this.replicas = new Replicas<Pool>(
      baseUrls.map((url) => new InternalPool(url, token, options, 'exporter')),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.members.map((pool) => pool.close()));
  }

  load(archive: Readable, request: LoadArchiveV1, signal?: AbortSignal): Promise<LoadResultV1> {
    return this.upload<LoadResultV1>(`${ARCHIVE_PATHS.load}${queryOf(request)}`, archive, signal);
  }

  importRootfs(
    source: Readable,
    request: ImportRootfsV1,
    signal?: AbortSignal,
  ): Promise<ImportResultV1> {
    return this.upload<ImportResultV1>(
      `${ARCHIVE_PATHS.import}${queryOf(request)}`,
      source,
      signal,
    );
  }

  async save(request: SaveArchiveV1, signal?: AbortSignal): Promise<Readable> {
    const res = await this.request(() => ({
      method: 'POST',
      path: ARCHIVE_PATHS.save,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal,
    }));
    if (res.statusCode !== 200)
      throw errorFromResponse(res.statusCode, await res.body.text(), PEER);
    return res.body;
  }

  /** upload streams `source` as the body and reads the JSON answer. */
  private async upload<T>(path: string, source: Readable, signal?: AbortSignal): Promise<T> {
    const body = new StreamBody(source);
    const res = await this.request(
      () => ({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/octet-stream' },
        body: Readable.from(body.chunks(), { objectMode: false }),
        signal,
      }),
      () => !body.started,
    );
    const text = await res.body.text();
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, text, PEER);
    return JSON.parse(text) as T;
  }

  private async request(
    options: () => Dispatcher.RequestOptions,
    safe: () => boolean = () => true,
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await this.replicas.call(
        (pool) => pool.request(options()),
        (err) => isUnreachable(err) && safe(),
      );
    } catch (err) {
      if (isUnreachable(err))
        throw new DomainError('UNAVAILABLE', 'the exporter cannot be reached');
      throw err;
    }
  }
}

const PEER = 'exporter';
