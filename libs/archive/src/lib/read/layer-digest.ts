import { once } from 'node:events';
import { Gunzip, createGunzip } from 'node:zlib';
import { Digester } from '@stevedore/domain';
import { errorMessage } from '../archive-error';
import { Compression, MAGIC_LENGTH, detectCompression } from './compression';

/** How many compressed bytes may wait for the decompressor before the reader waits for it. */
const QUEUED_BYTES = 1024 * 1024;

/** LayerDigest is what a member's bytes say about it as a layer. */
export interface LayerDigest {
  compression: Compression;
  /** sha256 of the uncompressed bytes (the DiffID, if the member is a layer); absent when not computable here. */
  diffId?: string;
  /** Why the member could not be decompressed (only matters if it is used as a layer). */
  diffIdError?: string;
}

/**
 * LayerDigester learns, in the same pass that stores a member, its compression and — for plain and
 * gzip members — the digest of its uncompressed bytes, so DiffIDs can be checked without reading
 * the member twice. bzip2/xz/zstd members are not decompressed here (no DiffID).
 */
export class LayerDigester {
  private head: Buffer[] = [];
  private headLength = 0;
  private compression: Compression | undefined;
  private gunzip: Gunzip | undefined;
  private uncompressed: Digester | undefined;
  private error: string | undefined;

  /** update feeds the member's next chunk (awaiting the decompressor when it is busy). */
  async update(chunk: Buffer): Promise<void> {
    if (this.compression !== undefined) return this.feed(chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength >= MAGIC_LENGTH) await this.decide();
  }

  /** finish ends the member and reports its compression and DiffID. */
  async finish(plainDigest: string): Promise<LayerDigest> {
    if (this.compression === undefined) await this.decide();
    const compression = this.compression ?? 'none';
    if (compression === 'none') return { compression, diffId: plainDigest };
    if (compression !== 'gzip') return { compression };
    if (this.gunzip && this.error === undefined) {
      const ended = once(this.gunzip, 'end').catch((err: unknown) => this.fail(err));
      this.gunzip.end();
      await ended;
    }
    if (this.error !== undefined) return { compression, diffIdError: this.error };
    return { compression, diffId: this.uncompressed?.digest().toString() ?? '' };
  }

  private async decide(): Promise<void> {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.compression = detectCompression(head);
    if (this.compression === 'gzip') {
      const digester = new Digester();
      this.uncompressed = digester;
      // 256 KiB out at a time: fewer chunks to hash than zlib's 16 KiB default.
      this.gunzip = createGunzip({ chunkSize: 256 * 1024 });
      this.gunzip.on('data', (out: Buffer) => digester.update(out));
      this.gunzip.on('error', (err) => this.fail(err));
    }
    if (head.length > 0) await this.feed(head);
  }

  private async feed(chunk: Buffer): Promise<void> {
    const gunzip = this.gunzip;
    if (!gunzip || this.error !== undefined) return;
    // Respect the decompressor's backpressure, or a large layer would pile up in memory, but only
    // past QUEUED_BYTES: the decompressor then runs on the thread pool ahead of the member's
    // reading instead of in step with every chunk of it.
    // (A decompression error is recorded by the 'error' listener; it only matters for layers.)
    if (!gunzip.write(chunk) && gunzip.writableLength > QUEUED_BYTES)
      await settled(gunzip, ['drain', 'close', 'error']);
  }

  private fail(err: unknown): void {
    this.error ??= errorMessage(err);
  }
}

/** settled resolves at the first of `events`, removing its listeners (no leak across many waits). */
function settled(emitter: Gunzip, events: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of events) emitter.off(event, done);
      resolve();
    };
    for (const event of events) emitter.on(event, done);
  });
}
