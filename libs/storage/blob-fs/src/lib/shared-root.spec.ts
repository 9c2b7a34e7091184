import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBlob } from '@stevedore/blob-port';
import { Digest } from '@stevedore/domain';
import { FsBlobStore } from './fs-blob-store';

/**
 * Several processes share one data root in the cluster (blobstores, and fetchers writing their
 * downloads). Two stores over one root in one process see each other only through the disk, as
 * two processes do: neither knows the other's in-memory set of active ingests.
 */
describe('FsBlobStore: writers in two processes sharing a root', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'blob-fs-shared-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** Lines the two stores up on each blob many times over, each start a few ticks apart. */
  async function race(blobs: Buffer[], stores: FsBlobStore[]): Promise<unknown[]> {
    const failures: unknown[] = [];
    await Promise.all(
      blobs.flatMap((bytes) =>
        stores.map(async (store, i) => {
          for (let tick = 0; tick < i * 3; tick += 1) await Promise.resolve();
          const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
          await writeBlob(store, blob, bytes, { maxWaitMs: 20_000 }).catch((err: unknown) => {
            failures.push(err);
          });
        }),
      ),
    );
    return failures;
  }

  it('commits the same digest from both, each write succeeding and the blob whole, 200 times over', async () => {
    const stores = [new FsBlobStore(root), new FsBlobStore(root), new FsBlobStore(root)];
    const blobs = Array.from({ length: 200 }, () => randomBytes(16 * 1024));
    expect(await race(blobs, stores)).toEqual([]);
    for (const bytes of blobs) {
      const path = join(root, 'blobs', 'sha256', Digest.fromBytes(bytes).hex);
      expect((await readFile(path)).equals(bytes)).toBe(true);
    }
    // Nothing is left behind: no ingest, no lock, no directory set aside.
    await expect(readdir(join(root, 'ingest'))).resolves.toEqual([]);
  });

  it('reclaims of interrupted ingests running meanwhile make no commit fail and remove no write in flight', async () => {
    const stores = [new FsBlobStore(root), new FsBlobStore(root)];
    const collectors = [new FsBlobStore(root), new FsBlobStore(root)];
    const blobs = Array.from({ length: 600 }, () => randomBytes(4 * 1024));
    let racing = true;
    // No byte may be kept: any ingest that is not being written is reclaimed at once.
    const reclaiming = collectors.map(async (collector) => {
      while (racing) await collector.reclaimIngests({ maxAgeMs: 0, maxBytes: 0 });
    });
    const failures = await race(blobs, stores);
    racing = false;
    await Promise.all(reclaiming);
    expect(failures).toEqual([]);
    for (const bytes of blobs) {
      const info = await stores[0]?.stat(Digest.fromBytes(bytes));
      expect(info?.size).toBe(bytes.length);
    }
  });
});
