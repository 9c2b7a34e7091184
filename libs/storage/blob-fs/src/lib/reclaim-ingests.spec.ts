import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, symlink, utimes } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Digest } from '@stevedore/domain';
import { FsBlobStore } from './fs-blob-store';
import { StoreLayout } from './layout';

const HOUR = 3_600_000;
const LIMITS = { maxAgeMs: 24 * HOUR, maxBytes: 10 * 1024 * 1024 };

describe('FsBlobStore.reclaimIngests (real files)', () => {
  let root: string;
  let store: FsBlobStore;
  let layout: StoreLayout;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'blob-fs-reclaim-'));
    store = new FsBlobStore(root);
    layout = new StoreLayout(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** An interrupted download: `kept` of its bytes on disk, last written `hoursAgo`. */
  async function interrupted(kept: number, hoursAgo: number) {
    const bytes = randomBytes(kept * 2);
    const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
    const ingest = await store.ingest(blob);
    await ingest.write(bytes.subarray(0, kept));
    await ingest.close();
    const then = new Date(Date.now() - hoursAgo * HOUR);
    await utimes(layout.ingestDataPath(blob.digest), then, then);
    return { blob, bytes };
  }

  const ingests = async () => (await readdir(layout.ingestDir)).sort();

  it('removes ingests older than the age limit and keeps the young, counting the bytes', async () => {
    const old = await interrupted(1000, 25);
    const young = await interrupted(500, 1);
    await expect(store.reclaimIngests(LIMITS)).resolves.toEqual({ ingests: 1, bytes: 1000 });
    expect(await ingests()).toEqual([`sha256-${young.blob.digest.hex}`]);
    // The next download of the reclaimed blob starts over, and completes.
    const again = await store.ingest(old.blob);
    expect(again.offset).toBe(0);
    await again.write(old.bytes);
    await expect(again.commit()).resolves.toMatchObject({ size: old.bytes.length });
  });

  it('beyond the size limit removes the oldest first', async () => {
    const oldest = await interrupted(4000, 3);
    const middle = await interrupted(4000, 2);
    const newest = await interrupted(4000, 1);
    const limits = { maxAgeMs: LIMITS.maxAgeMs, maxBytes: 5000 };
    await expect(store.reclaimIngests(limits)).resolves.toEqual({ ingests: 2, bytes: 8000 });
    expect(await ingests()).toEqual([`sha256-${newest.blob.digest.hex}`]);
    expect([oldest, middle].length).toBe(2);
  });

  it('never removes an ingest being written, in this process or another live one', async () => {
    const mine = await interrupted(1000, 48);
    const open = await store.ingest(mine.blob); // a download resumed it and is writing
    const theirs = await interrupted(1000, 48);
    // Another blobstore process on this host (a live pid: our parent) holds this one.
    await symlink(
      `${hostname()} ${process.ppid}`,
      join(layout.ingestPath(theirs.blob.digest), 'lock'),
    );
    await expect(store.reclaimIngests({ maxAgeMs: 0, maxBytes: 0 })).resolves.toEqual({
      ingests: 0,
      bytes: 0,
    });
    expect(await ingests()).toHaveLength(2);
    await open.write(mine.bytes.subarray(open.offset));
    await expect(open.commit()).resolves.toMatchObject({ size: mine.bytes.length });
  });

  it('takes over ingests of a dead process, and empty directories a crash left', async () => {
    const orphan = await interrupted(1000, 48);
    await symlink(`${hostname()} 2147483646`, join(layout.ingestPath(orphan.blob.digest), 'lock'));
    const empty = join(layout.ingestDir, `sha256-${'a'.repeat(64)}`);
    await mkdir(empty);
    await utimes(empty, new Date(Date.now() - 48 * HOUR), new Date(Date.now() - 48 * HOUR));
    await expect(store.reclaimIngests(LIMITS)).resolves.toEqual({ ingests: 2, bytes: 1000 });
    expect(await ingests()).toEqual([]);
  });
});
