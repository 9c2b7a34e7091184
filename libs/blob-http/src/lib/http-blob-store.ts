import type { Readable, Writable } from 'node:stream';
import type { Pool } from 'undici';
import { lastByte } from '@stevedore/blob-port';
import type {
  BlobInfo,
  BlobRef,
  BlobSend,
  BlobStore,
  ByteRange,
  Ingest,
} from '@stevedore/blob-port';
import type { FollowOptions } from '@stevedore/blob-port';
import { Digest } from '@stevedore/domain';
import { InternalPool } from '@stevedore/internal-http';
import { HttpIngest } from './http-ingest';
import { openSocketSend } from './socket-send';
import {
  BLOB_STORE_PEER,
  OFFSET_HEADER,
  WireBlobInfo,
  blobInfo,
  errorFromResponse,
} from './protocol';

/**
 * undici closes the connection after every HEAD unless told otherwise, in case a misbehaving server
 * sends a body; the blobstore never does, and a new connection per stat costs a pull of many small
 * blobs two TCP handshakes a blob.
 */
const KEEP_ALIVE = { reset: false } as const;

/**
 * A send of this many bytes or more reads the blobstore's answer through reused buffers on a
 * connection of its own (see socket-send.ts); a smaller one is not worth the new connection.
 */
const SOCKET_SEND_MIN_BYTES = 4 * 1024 * 1024;
/**
 * Each such send holds 2 MiB of buffers: past this many at once (64 MiB), more sends stream the
 * common way, so a crowd of pulls costs CPU rather than memory.
 */
const MAX_SOCKET_SENDS = 32;

/**
 * HttpBlobStore is the BlobStore port spoken over the blobstore's internal HTTP protocol:
 * what fetcher, resolver, exporter and gateway use in the cluster topology. Streams both ways;
 * every request presents the cluster's internal token.
 */
export class HttpBlobStore implements BlobStore {
  private readonly pool: Pool;
  private readonly base: URL;
  private socketSends = 0;

  constructor(
    baseUrl: string,
    private readonly token: string,
    connections = 16,
  ) {
    const options = { connections, bodyTimeout: 0, headersTimeout: 30_000 };
    this.pool = new InternalPool(baseUrl, token, options, BLOB_STORE_PEER);
    this.base = new URL(baseUrl);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  async stat(digest: Digest): Promise<BlobInfo | undefined> {
    const res = await this.pool.request({
      method: 'HEAD',
      path: `/blobs/${digest}`,
      ...KEEP_ALIVE,
    });
    await res.body.dump();
    if (res.statusCode === 404) return undefined;
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, '');
    return { digest, size: Number(res.headers['content-length']) };
  }

  async read(digest: Digest, range?: ByteRange): Promise<Readable> {
    const headers = rangeHeaders(range);
    const res = await this.pool.request({ method: 'GET', path: `/blobs/${digest}`, headers });
    if (res.statusCode !== 200 && res.statusCode !== 206)
      throw errorFromResponse(res.statusCode, await res.body.text());
    return res.body;
  }

  /** Opens the blob for a send: a large one through reused buffers, a small one as a stream. */
  async openSend({ digest, size }: BlobRef, range?: ByteRange): Promise<BlobSend> {
    const small = lastByte(size, range) - (range?.start ?? 0) + 1 < SOCKET_SEND_MIN_BYTES;
    if (small || this.socketSends >= MAX_SOCKET_SENDS) {
      const body = await this.read(digest, range);
      return (out) => sendStream(body, out);
    }
    this.socketSends += 1;
    const settled = () => (this.socketSends -= 1);
    const send = await this.openSocketSend(digest, range).catch((err: unknown) => {
      settled();
      throw err;
    });
    return (out) => send(out).finally(settled);
  }

  private openSocketSend(digest: Digest, range?: ByteRange): Promise<BlobSend> {
    return openSocketSend({
      host: this.base.hostname.replace(/^\[(.*)\]$/, '$1'), // an IPv6 address, unbracketed
      port: Number(this.base.port || 80),
      path: `/blobs/${digest}`,
      headers: { authorization: `Bearer ${this.token}`, ...rangeHeaders(range) },
      peer: BLOB_STORE_PEER,
      refused: errorFromResponse,
    });
  }

  /**
   * Follows an ingest in the blobstore; a failure there arrives as a body cut short. `idleMs` is
   * the blobstore's default: its follower and the writer are in its process.
   */
  async follow({ digest, size }: BlobRef, options: FollowOptions = {}): Promise<Readable> {
    const from = options.offset ? `&offset=${options.offset}` : '';
    const res = await this.pool.request({
      method: 'GET',
      path: `/blobs/${digest}?size=${size}&follow=1${from}`,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, await res.body.text());
    return res.body;
  }

  /** Where the ingest stands; CONFLICT while another writer holds it (openIngest waits that out). */
  async ingest({ digest, size }: BlobRef): Promise<Ingest> {
    const res = await this.pool.request({
      method: 'HEAD',
      path: `/ingests/${digest}?size=${size}`,
      ...KEEP_ALIVE,
    });
    await res.body.dump();
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, '');
    return new HttpIngest(this.pool, digest, size, Number(res.headers[OFFSET_HEADER]));
  }

  async delete(digest: Digest): Promise<boolean> {
    const res = await this.pool.request({ method: 'DELETE', path: `/blobs/${digest}` });
    const body = await res.body.text();
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, body);
    return (JSON.parse(body) as { deleted: boolean }).deleted;
  }

  async usage(): Promise<{ blobs: number; bytes: number }> {
    const res = await this.pool.request({ method: 'GET', path: '/usage' });
    const body = await res.body.text();
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, body);
    return JSON.parse(body) as { blobs: number; bytes: number };
  }

  async *list(): AsyncIterable<BlobInfo> {
    const res = await this.pool.request({ method: 'GET', path: '/blobs' });
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, await res.body.text());
    let rest = '';
    for await (const chunk of res.body) {
      const lines = (rest + (chunk as Buffer).toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line) yield blobInfo(JSON.parse(line) as WireBlobInfo);
    }
  }
}

/** sendStream writes a small blob's chunks, each once the previous one was taken (called back). */
async function sendStream(body: Readable, out: Writable): Promise<void> {
  try {
    for await (const chunk of body)
      await new Promise<void>((resolve, reject) =>
        out.write(chunk as Buffer, (err) => (err ? reject(err) : resolve())),
      );
  } finally {
    body.destroy();
  }
}

/** rangeHeaders asks for `range` of a blob (no header: the whole blob). */
function rangeHeaders(range?: ByteRange): Record<string, string> {
  return range ? { range: `bytes=${range.start}-${range.end ?? ''}` } : {};
}
