import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Digest } from '@stevedore/domain';
import { FsBlobStore } from './fs-blob-store';
import { FsBlobUploads } from './fs-uploads';

async function* chunks(...parts: Buffer[]): AsyncIterable<Uint8Array> {
  yield* parts;
}

describe('FsBlobUploads', () => {
  let root: string;
  let store: FsBlobStore;
  let uploads: FsBlobUploads;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'fs-uploads-'));
    store = new FsBlobStore(join(root, 'content'));
    uploads = new FsBlobUploads(join(root, 'uploads'), store);
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('appends chunks in order, survives a new instance, and commits a verified blob', async () => {
    const bytes = randomBytes(300_000);
    const id = await uploads.start();
    expect(await uploads.append(id, 0, chunks(bytes.subarray(0, 100_000)))).toBe(100_000);
    // Another process (a restarted gateway's blob store) finds the upload where it stood.
    const again = new FsBlobUploads(join(root, 'uploads'), store);
    expect(await again.status(id)).toBe(100_000);
    expect(await again.append(id, 100_000, chunks(bytes.subarray(100_000)))).toBe(300_000);
    const info = await again.commit(id, Digest.fromBytes(bytes));
    expect(info.size).toBe(300_000);
    expect(await store.stat(Digest.fromBytes(bytes))).toMatchObject({ size: 300_000 });
    expect(await readdir(join(root, 'uploads'))).toEqual([]);
  });

  it('refuses a chunk that does not start where the upload stands, naming where it does', async () => {
    const id = await uploads.start();
    await uploads.append(id, 0, chunks(randomBytes(10)));
    await expect(uploads.append(id, 5, chunks(randomBytes(10)))).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { offset: 10 },
    });
  });

  it('commits nothing when the bytes do not match the digest', async () => {
    const id = await uploads.start();
    await uploads.append(id, 0, chunks(randomBytes(1_000)));
    const wrong = Digest.fromBytes(Buffer.from('other'));
    await expect(uploads.commit(id, wrong)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(await store.stat(wrong)).toBeUndefined();
  });

  it('answers NOT_FOUND for an unknown or malformed id, and after abort', async () => {
    await expect(uploads.status('../../etc')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const id = await uploads.start();
    await uploads.abort(id);
    await expect(uploads.status(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reclaims uploads untouched for longer than the age limit, and only those', async () => {
    const hour = 3_600_000;
    const stale = await uploads.start();
    await uploads.append(stale, 0, chunks(randomBytes(4_096)));
    const fresh = await uploads.start();
    const old = new Date(Date.now() - 25 * hour);
    await utimes(join(root, 'uploads', stale), old, old);
    await writeFile(join(root, 'uploads', 'notes.txt'), 'not an upload');
    await utimes(join(root, 'uploads', 'notes.txt'), old, old);
    await expect(uploads.reclaim(24 * hour)).resolves.toEqual({ uploads: 1, bytes: 4_096 });
    await expect(uploads.status(stale)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await uploads.status(fresh)).toBe(0);
    expect((await readdir(join(root, 'uploads'))).sort()).toEqual([fresh, 'notes.txt'].sort());
  });

  it('reclaims nothing before the first upload', async () => {
    await expect(uploads.reclaim(0)).resolves.toEqual({ uploads: 0, bytes: 0 });
  });
});
