import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { Digest } from '@stevedore/domain';
import { FsBlobStore } from './fs-blob-store';

const AS_ROOT = process.getuid?.() === 0;
const KiB = 1024;
const blobOf = (bytes: Buffer) => ({ digest: Digest.fromBytes(bytes), size: bytes.length });

/** A real full disk: a 1 MiB tmpfs (mounting needs root; elsewhere the suite says it was skipped). */
(AS_ROOT ? describe : describe.skip)(
  `FsBlobStore on a full disk (a 1 MiB tmpfs${AS_ROOT ? '' : '; skipped: needs root to mount tmpfs'})`,
  () => {
    let mount: string;
    let store: FsBlobStore;
    const filler = () => join(mount, 'filler');
    beforeEach(async () => {
      mount = await mkdtemp(join(tmpdir(), 'blob-fs-full-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
      store = new FsBlobStore(join(mount, 'content'));
    });
    afterEach(async () => {
      execFileSync('umount', ['-l', mount]); // lazily: a failed test may leave a file open
      await rm(mount, { recursive: true, force: true });
    });

    it('fails a write that does not fit with NO_SPACE, and never publishes a short blob', async () => {
      await writeFile(filler(), Buffer.alloc(600 * KiB));
      // One chunk larger than the room left: the kernel takes part of it before refusing more.
      const bytes = randomBytes(500 * KiB);
      const ingest = await store.ingest(blobOf(bytes));
      await expect(ingest.write(bytes)).rejects.toMatchObject({
        code: 'NO_SPACE',
        message: 'no space left on device',
      });
      await expect(store.stat(Digest.fromBytes(bytes))).resolves.toBeUndefined();
    });

    it('after space is freed, resumes the kept bytes and commits the right blob, with no stale lock in the way', async () => {
      await writeFile(filler(), Buffer.alloc(1024 * KiB)).catch(() => undefined); // the disk is full
      const bytes = randomBytes(300 * KiB);
      const attempt = store.ingest(blobOf(bytes)).then((ingest) => ingest.write(bytes));
      await expect(attempt).rejects.toMatchObject({ code: 'NO_SPACE' });
      await rm(filler());
      const again = await store.ingest(blobOf(bytes));
      await again.write(bytes.subarray(again.offset));
      await again.commit();
      expect(await text(await store.read(Digest.fromBytes(bytes)))).toBe(bytes.toString());
    });

    it('reclaims interrupted ingests while the disk is full, making room for the next blob', async () => {
      const big = randomBytes(2048 * KiB);
      const ingest = await store.ingest(blobOf(big));
      await expect(ingest.write(big)).rejects.toMatchObject({ code: 'NO_SPACE' });
      const reclaimed = await store.reclaimIngests({ maxAgeMs: 3_600_000, maxBytes: 0 });
      expect(reclaimed.ingests).toBe(1);
      expect(reclaimed.bytes).toBeGreaterThan(900 * KiB);
      const small = randomBytes(400 * KiB);
      const next = await store.ingest(blobOf(small));
      await next.write(small);
      await expect(next.commit()).resolves.toMatchObject({ size: small.length });
    });
  },
);
