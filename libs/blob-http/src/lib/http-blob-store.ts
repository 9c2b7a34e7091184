import type { Readable } from 'node:stream';
import { setTimeout } from 'node:timers/promises';
import { Pool } from 'undici';
import type { BlobInfo, BlobStore, ByteRange, Ingest } from '@stevedore/contracts';
import { Digest } from '@stevedore/domain';
import { HttpIngest } from './http-ingest';
import { OFFSET_HEADER, errorFromResponse } from './protocol';

const CONFLICT_RETRIES = 20;
const CONFLICT_DELAY_MS = 50;

/**
 * HttpBlobStore is the BlobStore port spoken over the blobstore's internal HTTP protocol:
 * what fetcher, resolver, exporter and gateway use in the cluster topology. Streams both ways.
 */
export class HttpBlobStore implements BlobStore {
  private readonly pool: Pool;

  constructor(baseUrl: string, connections = 16) {
    this.pool = new Pool(baseUrl, { connections, bodyTimeout: 0, headersTimeout: 30_000 });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  async stat(digest: string): Promise<BlobInfo | undefined> {
    const d = Digest.parse(digest).toString();
    const res = await this.pool.request({ method: 'HEAD', path: `/blobs/${d}` });
    await res.body.dump();
    if (res.statusCode === 404) return undefined;
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, '');
    return { digest: d, size: Number(res.headers['content-length']) };
  }

  async read(digest: string, range?: ByteRange): Promise<Readable> {
    const d = Digest.parse(digest).toString();
    const headers: Record<string, string> = range
      ? { range: `bytes=${range.start}-${range.end ?? ''}` }
      : {};
    const res = await this.pool.request({ method: 'GET', path: `/blobs/${d}`, headers });
    if (res.statusCode !== 200 && res.statusCode !== 206)
      throw errorFromResponse(res.statusCode, await res.body.text());
    return res.body;
  }

  async ingest(digest: string, size: number): Promise<Ingest> {
    const d = Digest.parse(digest).toString();
    for (let attempt = 0; ; attempt++) {
      const res = await this.pool.request({ method: 'HEAD', path: `/ingests/${d}?size=${size}` });
      await res.body.dump();
      if (res.statusCode === 200)
        return new HttpIngest(this.pool, d, size, Number(res.headers[OFFSET_HEADER]));
      // A cut PUT is released by the server a moment after the cut: wait for it, briefly.
      if (res.statusCode !== 409 || attempt >= CONFLICT_RETRIES)
        throw errorFromResponse(res.statusCode, '');
      await setTimeout(CONFLICT_DELAY_MS);
    }
  }

  async delete(digest: string): Promise<boolean> {
    const res = await this.pool.request({
      method: 'DELETE',
      path: `/blobs/${Digest.parse(digest)}`,
    });
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
      for (const line of lines) if (line) yield JSON.parse(line) as BlobInfo;
    }
  }
}
