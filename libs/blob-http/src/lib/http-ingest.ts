import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { setTimeout } from 'node:timers/promises';
import type { Dispatcher, Pool } from 'undici';
import type { BlobInfo, Ingest } from '@stevedore/blob-port';
import { Digest, DomainError } from '@stevedore/domain';
import { asPeerUnavailable } from '@stevedore/internal-http';
import { BLOB_STORE_PEER, WireBlobInfo, blobInfo, errorFromResponse } from './protocol';

/** How long abort() waits, at most, for the server to let go of a cut PUT: 50 × 20 ms. */
const ABORT_ATTEMPTS = 50;
const ABORT_RETRY_MS = 20;

/**
 * HttpIngest streams writes into one PUT request, opened on first use and started at the
 * offset the server reported. `close()` ends the body short, which the server answers by
 * keeping the bytes for a later resume; `abort()` cuts it and asks the server to discard them.
 */
export class HttpIngest implements Ingest {
  private body: PassThrough | undefined;
  private response: Promise<Dispatcher.ResponseData> | undefined;
  private written: number;
  private finished = false;

  constructor(
    private readonly pool: Pool,
    readonly digest: Digest,
    private readonly size: number,
    startOffset: number,
  ) {
    this.written = startOffset;
  }

  get offset(): number {
    return this.written;
  }

  /** replay streams the bytes the server holds for this ingest (GET /ingests/<digest>), before any write. */
  async *replay(): AsyncIterable<Uint8Array> {
    if (this.written === 0) return;
    if (this.body)
      throw DomainError.internal(
        `ingest of ${this.digest} is being written; it cannot be replayed`,
      );
    const res = await this.pool.request({
      method: 'GET',
      path: `/ingests/${this.digest}?size=${this.size}`,
    });
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, await res.body.text());
    for await (const chunk of res.body) yield chunk as Uint8Array;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.finished) throw DomainError.internal(`ingest of ${this.digest} is already finished`);
    if (this.written + chunk.byteLength > this.size) {
      await this.abort();
      throw DomainError.digestMismatch(
        `size mismatch for ${this.digest}: more than ${this.size} bytes`,
      );
    }
    const body = this.open();
    this.written += chunk.byteLength;
    if (body.write(chunk)) return;
    // The request body fails with the socket (EPIPE, reset) when the blobstore goes away mid-write.
    await Promise.race([once(body, 'drain'), this.response]).catch((err: unknown) => {
      throw asPeerUnavailable(err, BLOB_STORE_PEER);
    });
  }

  async commit(): Promise<BlobInfo> {
    if (this.written < this.size) {
      await this.abort();
      throw DomainError.digestMismatch(
        `size mismatch for ${this.digest}: expected ${this.size} bytes, received ${this.written}`,
      );
    }
    const body = this.open();
    this.finished = true;
    body.end();
    const res = await (this.response as Promise<Dispatcher.ResponseData>);
    const text = await res.body.text();
    if (res.statusCode !== 201) throw errorFromResponse(res.statusCode, text);
    return blobInfo(JSON.parse(text) as WireBlobInfo);
  }

  async close(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (!this.body) return;
    this.body.end(); // a short body: the server keeps what it got for a later resume
    const res = await (this.response as Promise<Dispatcher.ResponseData>);
    const text = await res.body.text();
    if (res.statusCode !== 202) throw errorFromResponse(res.statusCode, text);
  }

  async abort(): Promise<void> {
    if (this.body && !this.finished) this.body.destroy(new Error('ingest aborted'));
    this.finished = true;
    await this.response?.then((r) => r.body.dump()).catch(() => undefined);
    // The server notices the cut PUT a moment after we do: until its handler lets go of the
    // ingest, a DELETE answers 409, and giving up then would leave the bytes behind.
    for (let attempt = 1; ; attempt += 1) {
      const res = await this.pool.request({
        method: 'DELETE',
        path: `/ingests/${this.digest}?size=${this.size}`,
      });
      await res.body.dump();
      if (res.statusCode !== 409 || attempt >= ABORT_ATTEMPTS) return;
      await setTimeout(ABORT_RETRY_MS);
    }
  }

  private open(): PassThrough {
    if (!this.body) {
      this.body = new PassThrough({ highWaterMark: 1 << 20 });
      const path = `/blobs/${this.digest}?size=${this.size}&offset=${this.written}`;
      this.response = this.pool.request({ method: 'PUT', path, body: this.body });
      this.response.catch(() => undefined); // observed in commit/close; avoid an unhandled rejection
    }
    return this.body;
  }
}
