import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Digest } from '@stevedore/domain';
import { FsBlobStore } from './fs-blob-store';

// The follow contract (fs-blob-store.spec.ts) covers following an ingest of the same store, which
// reads through its tap; these cases cover what only the tap path can get wrong.

const MiB = 1024 * 1024;
let root: string;
let store: FsBlobStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'blob-fs-tap-'));
  store = new FsBlobStore(root);
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** writeIn writes `bytes` in `step`-byte chunks through one buffer it reuses, as a reader loop does. */
async function writeIn(
  ingest: { write(c: Uint8Array): Promise<void> },
  bytes: Buffer,
  step: number,
) {
  const reused = Buffer.alloc(step);
  for (let at = 0; at < bytes.length; at += step) {
    const n = bytes.copy(reused, 0, at, Math.min(at + step, bytes.length));
    await ingest.write(reused.subarray(0, n));
    reused.fill(0xee);
  }
}

describe('following an ingest this process writes (its tap)', () => {
  it('gives the bytes as written even when the writer reuses its buffer after each write', async () => {
    const bytes = randomBytes(5 * MiB + 123);
    const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
    const ingest = await store.ingest(blob);
    await ingest.write(bytes.subarray(0, 1));
    const got = collect(await store.follow(blob));
    await writeIn({ write: (c) => ingest.write(c) }, bytes.subarray(1), 64 * 1024);
    await ingest.commit();
    expect((await got).equals(bytes)).toBe(true);
  });

  it('serves a follower that joins late, then lags behind the kept blocks, from the file', async () => {
    const bytes = randomBytes(9 * MiB);
    const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
    const ingest = await store.ingest(blob);
    await ingest.write(bytes.subarray(0, 3 * MiB));
    const stream = await store.follow(blob);
    // The follower reads nothing while 6 MiB more are written: more than the tap keeps.
    await writeIn(ingest, bytes.subarray(3 * MiB), 256 * 1024);
    const got = collect(stream);
    await ingest.commit();
    expect((await got).equals(bytes)).toBe(true);
  });

  it('holds the last bytes until the commit, and ends the follow when the ingest is kept, not committed', async () => {
    const bytes = randomBytes(2 * MiB);
    const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
    const ingest = await store.ingest(blob);
    const stream = await store.follow(blob, { idleMs: 300 });
    let received = 0;
    stream.on('data', (chunk: Buffer) => (received += chunk.length));
    const ended = new Promise((resolve) => stream.once('error', resolve));
    await ingest.write(bytes);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toBeLessThan(bytes.length);
    // Kept for a resume that never comes: the follower stops waiting at its idle limit.
    await ingest.close();
    expect(await ended).toMatchObject({ code: 'UNAVAILABLE' });
    expect(received).toBeLessThan(bytes.length);
  });

  it('gives the last bytes once the digest is verified, without waiting for the fsync (a spy slows FileHandle.sync)', async () => {
    const bytes = randomBytes(3 * MiB);
    const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
    const ingest = await store.ingest(blob);
    const stream = await store.follow(blob);
    await ingest.write(bytes);
    const probe = await open(join(root, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const sync = fileHandle.sync;
    const slowSync = jest.spyOn(fileHandle, 'sync').mockImplementation(async function (
      this: unknown,
    ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return sync.call(this);
    });
    try {
      const order: string[] = [];
      const got = collect(stream).then((all) => (order.push('follower'), all));
      await ingest.commit().then(() => order.push('commit'));
      expect((await got).equals(bytes)).toBe(true);
      expect(order).toEqual(['follower', 'commit']);
      expect(await store.stat(blob.digest)).toEqual(blob);
    } finally {
      slowSync.mockRestore();
    }
  });
});
