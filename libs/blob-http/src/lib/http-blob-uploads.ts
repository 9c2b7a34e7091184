import { Readable } from 'node:stream';
import type { Pool } from 'undici';
import type { BlobInfo, BlobUploads } from '@stevedore/blob-port';
import { Digest, DomainError } from '@stevedore/domain';
import { InternalPool } from '@stevedore/internal-http';
import {
  BLOB_STORE_PEER,
  OFFSET_HEADER,
  WireBlobInfo,
  blobInfo,
  errorFromResponse,
} from './protocol';

/**
 * HttpBlobUploads is the BlobUploads port over the blobstore's internal protocol: the gateway's
 * push sessions in a cluster. Any blobstore replica serves any upload (they share the disk).
 */
export class HttpBlobUploads implements BlobUploads {
  private readonly pool: Pool;

  constructor(baseUrl: string, token: string) {
    const options = { connections: 8, bodyTimeout: 0, headersTimeout: 30_000 };
    this.pool = new InternalPool(baseUrl, token, options, BLOB_STORE_PEER);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  async start(): Promise<string> {
    const res = await this.pool.request({ method: 'POST', path: '/uploads' });
    const text = await res.body.text();
    if (res.statusCode !== 201) throw errorFromResponse(res.statusCode, text);
    return (JSON.parse(text) as { id: string }).id;
  }

  async status(id: string): Promise<number> {
    const res = await this.pool.request({ method: 'HEAD', path: this.pathOf(id) });
    await res.body.dump();
    if (res.statusCode === 404) throw DomainError.notFound(`upload ${id} not found`);
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, '');
    return Number(res.headers[OFFSET_HEADER]);
  }

  async append(id: string, offset: number, source: AsyncIterable<Uint8Array>): Promise<number> {
    const res = await this.pool.request({
      method: 'PATCH',
      path: `${this.pathOf(id)}?offset=${offset}`,
      body: Readable.from(source, { objectMode: false }),
    });
    const text = await res.body.text();
    if (res.statusCode === 409) {
      const standing = Number(res.headers[OFFSET_HEADER]);
      throw DomainError.conflict(`upload ${id} stands at ${standing}`, { offset: standing });
    }
    if (res.statusCode !== 202) throw errorFromResponse(res.statusCode, text);
    return Number(res.headers[OFFSET_HEADER]);
  }

  async commit(id: string, digest: Digest): Promise<BlobInfo> {
    const path = `${this.pathOf(id)}?digest=${encodeURIComponent(digest.toString())}`;
    const res = await this.pool.request({ method: 'PUT', path });
    const text = await res.body.text();
    if (res.statusCode !== 201) throw errorFromResponse(res.statusCode, text);
    return blobInfo(JSON.parse(text) as WireBlobInfo);
  }

  async abort(id: string): Promise<void> {
    const res = await this.pool.request({ method: 'DELETE', path: this.pathOf(id) });
    const text = await res.body.text();
    if (res.statusCode !== 204) throw errorFromResponse(res.statusCode, text);
  }

  private pathOf(id: string): string {
    return `/uploads/${encodeURIComponent(id)}`;
  }
}
