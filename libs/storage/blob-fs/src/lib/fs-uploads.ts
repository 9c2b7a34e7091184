import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobInfo, BlobUploads, BlobWriter, UPLOAD_ID_RE, writeBlob } from '@stevedore/blob-port';
import { Digest, DomainError } from '@stevedore/domain';
import { isNotFound } from './fs-util';

/** ReclaimedUploads is what a reclaim removed: abandoned uploads, and the bytes they held. */
export interface ReclaimedUploads {
  uploads: number;
  bytes: number;
}

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

  /**
   * reclaim removes the uploads nobody appended to for longer than `maxAgeMs`: a client that
   * started a push and went away (the CNCF registry purges them by age too). An upload being
   * written in this process stays whatever its age; one another replica writes was touched by its
   * last chunk, so it is not stale. Files that are not uploads are left alone.
   */
  async reclaim(maxAgeMs: number, now = Date.now()): Promise<ReclaimedUploads> {
    const reclaimed: ReclaimedUploads = { uploads: 0, bytes: 0 };
    const names = await readdir(this.root).catch((err: unknown) => {
      if (isNotFound(err)) return [] as string[];
      throw err;
    });
    for (const id of names.filter((name) => UPLOAD_ID_RE.test(name) && !this.busy.has(name))) {
      const info = await stat(this.pathOf(id)).catch(() => undefined);
      if (!info || now - info.mtimeMs <= maxAgeMs) continue;
      await rm(this.pathOf(id), { force: true });
      reclaimed.uploads += 1;
      reclaimed.bytes += info.size;
    }
    return reclaimed;
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
