import { PassThrough } from 'node:stream';
import { Digest } from '@stevedore/domain';
import { MemoryBlobStore } from '@stevedore/testing';
import { collect, untar } from '../../test/tar-helpers';
import { T4, T5, putT4 } from '../../test/t4-vectors';
import { planDockerSave } from '../plan/plan-docker-save';
import { writeArchive } from './write-archive';

async function archiveOf(
  store: MemoryBlobStore,
  entries = planDockerSave([putT4(store)]),
): Promise<Buffer> {
  const out = new PassThrough();
  const [bytes] = await Promise.all([collect(out), writeArchive({ entries }, store, out)]);
  return bytes;
}

describe('writeArchive', () => {
  it('reproduces the T5 archive of T4 byte for byte, file by file', async () => {
    const files = await untar(await archiveOf(new MemoryBlobStore()));
    const content = (name: string) => files.find((f) => f.name === name)?.data.toString('latin1');
    expect(content('oci-layout')).toBe(T5.ociLayout);
    expect(content('index.json')).toBe(T5.index);
    expect(content('manifest.json')).toBe(T5.manifestJson);
    expect(content('repositories')).toBe(T5.repositories);
    expect(content(`blobs/sha256/${T4.configDigest.slice(7)}`)).toBe(T4.config);
    expect(content(`blobs/sha256/${T4.manifestDigest.slice(7)}`)).toBe(T4.manifest);
    expect(content(`blobs/sha256/${T4.layerDigest.slice(7)}`)).toBe(T4.layer.toString('latin1'));
    // The vectors themselves: each blob hashes to the name it is stored under.
    for (const f of files.filter((x) => x.name.startsWith('blobs/sha256/') && x.type === 'file')) {
      expect(Digest.fromBytes(f.data).hex).toBe(f.name.slice('blobs/sha256/'.length));
    }
  });

  it('writes deterministic headers: epoch mtime, root owner, 0644 files, 0755 directories', async () => {
    const bytes = await archiveOf(new MemoryBlobStore());
    expect((await archiveOf(new MemoryBlobStore())).equals(bytes)).toBe(true);
    const files = await untar(bytes);
    for (const f of files) {
      expect(f.mtime.getTime()).toBe(0);
      expect([f.uid, f.gid]).toEqual([0, 0]);
      expect(f.mode).toBe(f.type === 'directory' ? 0o755 : 0o644);
    }
    expect(files.filter((f) => f.type === 'directory').map((f) => f.name)).toEqual([
      'blobs/',
      'blobs/sha256/',
    ]);
    // A tar ends with two zero blocks; the whole archive is a multiple of the 512-byte block.
    expect(bytes.length % 512).toBe(0);
    expect(bytes.subarray(-1024).every((b) => b === 0)).toBe(true);
  });

  it('destroys the output and rejects when a blob is missing from the store', async () => {
    const store = new MemoryBlobStore();
    const entries = planDockerSave([putT4(store)]);
    await store.delete(Digest.parse(T4.layerDigest));
    const out = new PassThrough();
    const reading = collect(out).catch((err: unknown) => err);
    await expect(writeArchive({ entries }, store, out)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(out.destroyed).toBe(true);
    await reading;
  });

  // Blobs are not hashed again on the way out (the store verified them at commit), but a blob of
  // another size than its descriptor would misframe the tar: that still aborts it.
  it.each([
    ['longer', T4.layer.length + 100],
    ['shorter', T4.layer.length - 100],
  ])(
    'aborts mid-blob when the store returns a %s blob than its descriptor says',
    async (_, size) => {
      const store = new MemoryBlobStore();
      const entries = planDockerSave([putT4(store)]);
      const rotten = store.put(Buffer.alloc(size, 1));
      const tampered = new (class extends MemoryBlobStore {
        override read(digest: Digest) {
          return store.read(digest.equals(T4.layerDigest) ? Digest.parse(rotten) : digest);
        }
      })();
      const out = new PassThrough();
      const reading = collect(out).catch((err: unknown) => err);
      await expect(writeArchive({ entries }, tampered, out)).rejects.toMatchObject({
        code: 'DIGEST_MISMATCH',
      });
      expect(out.destroyed).toBe(true);
      await reading;
    },
  );

  it('refuses an entry path that leaves the archive before writing anything', async () => {
    const out = new PassThrough();
    const plan = { entries: [{ path: '../evil', kind: 'text' as const, text: 'x' }] };
    await expect(writeArchive(plan, new MemoryBlobStore(), out)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
