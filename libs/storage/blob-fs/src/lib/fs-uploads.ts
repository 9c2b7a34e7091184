import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobInfo, BlobUploads, BlobWriter, UPLOAD_ID_RE, writeBlob } from '@stevedore/blob-port';
import { Digest, DomainError } from '@stevedore/domain';
import { isNotFound } from './fs-util';

/**
 * FsBlobUploads keeps each upload as one file under `<root>/<id>`: appends are positional writes
 * checked against the file's size and fsynced, so a restart finds every upload where its last
 * acknowledged chunk left it. Commit streams the file through the store's verified ingest
 * (`writeBlob`) and removes it. One writer per upload at a time, in this process.
 */
export class FsBlobUploads implements BlobUploads {
  private readonly busy = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly store: BlobWriter,
  ) {}

  async start(): Promise<string> {
    await mkdir(this.root, { recursive: true });
    const id = randomUUID();
    await (await open(this.pathOf(id), 'wx')).close();
    return id;
  }

  async status(id: string): Promise<number> {
    try {
      return (await stat(this.pathOf(id))).size;
    } catch (err) {
      if (isNotFound(err)) throw DomainError.notFound(`upload ${id} not found`);
      throw err;
    }
  }

  async append(id: string, offset: number, source: AsyncIterable<Uint8Array>): Promise<number> {
    return this.exclusive(id, async () => {
      const size = await this.status(id);
      if (size !== offset)
        throw DomainError.conflict(`upload ${id} stands at ${size}, not ${offset}`, {
          offset: size,
        });
      const file = await open(this.pathOf(id), 'r+');
      let position = offset;
      try {
        for await (const chunk of source) {
          await file.write(chunk, 0, chunk.byteLength, position);
          position += chunk.byteLength;
        }
      } finally {
        await file.sync().catch(() => undefined);
        await file.close();
      }
      return position;
    });
  }

  async commit(id: string, digest: Digest): Promise<BlobInfo> {
    return this.exclusive(id, async () => {
      const size = await this.status(id);
      const path = this.pathOf(id);
      const { info } = await writeBlob(this.store, { digest, size }, (offset) =>
        createReadStream(path, { start: offset }),
      );
      await rm(path, { force: true });
      return info;
    });
  }

  async abort(id: string): Promise<void> {
    await this.status(id);
    await rm(this.pathOf(id), { force: true });
  }

  private pathOf(id: string): string {
    if (!UPLOAD_ID_RE.test(id)) throw DomainError.notFound(`upload ${id} not found`);
    return join(this.root, id);
  }

  private async exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    if (this.busy.has(id)) throw DomainError.conflict(`upload ${id} is being written`);
    this.busy.add(id);
    try {
      return await work();
    } finally {
      this.busy.delete(id);
    }
  }
}
