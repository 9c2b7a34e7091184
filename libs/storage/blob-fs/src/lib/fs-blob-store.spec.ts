import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Digest } from '@stevedore/domain';
import {
  describeBlobFollowContract,
  describeBlobSendContract,
  describeBlobStoreContract,
} from '@stevedore/testing';
import { FsBlobStore } from './fs-blob-store';

const filesystem = async () => {
  const root = await mkdtemp(join(tmpdir(), 'blob-fs-'));
  return {
    store: new FsBlobStore(root),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
};
describeBlobStoreContract('filesystem', filesystem);
describeBlobFollowContract('filesystem', filesystem);
describeBlobSendContract('filesystem', filesystem);

/** The writer in one store, the follower in another over the same root: as two processes. */
const twoProcesses = async () => {
  const root = await mkdtemp(join(tmpdir(), 'blob-fs-'));
  const other = new FsBlobStore(root);
  const store = Object.assign(Object.create(new FsBlobStore(root)) as FsBlobStore, {
    follow: other.follow.bind(other),
  });
  return { store, dispose: () => rm(root, { recursive: true, force: true }) };
};
describeBlobFollowContract('filesystem, followed from another process', twoProcesses);

describe('FsBlobStore on disk', () => {
  it('refuses a second concurrent ingest of the same digest in one process', async () => {
    const root = await mkdtemp(join(tmpdir(), 'blob-fs-'));
    const store = new FsBlobStore(root);
    const bytes = randomBytes(10);
    const digest = Digest.fromBytes(bytes);
    const first = await store.ingest({ digest, size: 10 });
    await expect(store.ingest({ digest, size: 10 })).rejects.toMatchObject({ code: 'CONFLICT' });
    await first.abort();
    await rm(root, { recursive: true, force: true });
  });

  it('survives a restart mid-ingest: a new store over the same root resumes, and only the commit is visible', async () => {
    const root = await mkdtemp(join(tmpdir(), 'blob-fs-'));
    try {
      const bytes = randomBytes(50_000);
      const digest = Digest.fromBytes(bytes);
      const before = await new FsBlobStore(root).ingest({ digest, size: bytes.length });
      await before.write(bytes.subarray(0, 20_000));
      await before.close();
      const after = new FsBlobStore(root); // as if the process had been restarted
      await expect(readdir(join(root, 'blobs')).catch(() => [])).resolves.toEqual([]);
      const resumed = await after.ingest({ digest, size: bytes.length });
      expect(resumed.offset).toBe(20_000);
      await resumed.write(bytes.subarray(20_000));
      await resumed.commit();
      await expect(readdir(join(root, 'ingest'))).resolves.toEqual([]);
      await expect(readdir(join(root, 'blobs', 'sha256'))).resolves.toEqual([digest.hex]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
