import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Digest } from '@stevedore/domain';
import { FsBlobStore } from './fs-blob-store';

const MiB = 1024 * 1024;
let root: string;
let store: FsBlobStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'blob-fs-send-'));
  store = new FsBlobStore(root);
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function put(bytes: Buffer): Promise<Digest> {
  const digest = Digest.fromBytes(bytes);
  const ingest = await store.ingest({ digest, size: bytes.length });
  await ingest.write(bytes);
  await ingest.commit();
  return digest;
}

/** A receiver that is done with each chunk when it calls back (it copies), slow now and then. */
function receiver(): { out: Writable; got: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      if (chunks.length % 3 === 0) setTimeout(done, 2);
      else done();
    },
  });
  return { out, got: () => Buffer.concat(chunks) };
}

describe('FsBlobStore openSend (two reused buffers)', () => {
  it('sends a blob of several buffers whole, and a range of it, byte for byte', async () => {
    const bytes = randomBytes(5 * MiB + 4321);
    const digest = await put(bytes);
    const whole = receiver();
    await (
      await store.openSend(digest)
    )(whole.out);
    expect(whole.got().equals(bytes)).toBe(true);
    const part = receiver();
    await (
      await store.openSend(digest, { start: MiB - 7, end: 3 * MiB + 11 })
    )(part.out);
    expect(part.got().equals(bytes.subarray(MiB - 7, 3 * MiB + 12))).toBe(true);
  });

  it('answers NOT_FOUND before sending anything, and fails when the receiver goes away', async () => {
    await expect(store.openSend(Digest.fromBytes(Buffer.from('absent')))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const digest = await put(randomBytes(4 * MiB));
    const out = new Writable({ write: (_chunk, _encoding, done) => setTimeout(done, 20) });
    const sending = (await store.openSend(digest))(out);
    setTimeout(() => out.destroy(), 5);
    await expect(sending).rejects.toThrow();
  });
});
