import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { BlobRef, BlobStore, writeBlob } from '@stevedore/blob-port';
import { Digest } from '@stevedore/domain';
import type { BlobStoreUnderTest } from './blob-store.contract';

const MiB = 1024 * 1024;

async function put(store: BlobStore, bytes: Buffer): Promise<BlobRef> {
  const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
  await writeBlob(store, blob, bytes);
  return blob;
}

/**
 * A receiver that is done with each chunk when it calls back (it copies it then), slow now and
 * then: a store that reused a buffer before the callback would show here as wrong bytes.
 */
function receiver(): { out: Writable; got: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, done) {
      const copy = Buffer.from(chunk);
      const take = () => {
        chunks.push(copy);
        done();
      };
      if (chunks.length % 3 === 0) setTimeout(take, 2);
      else take();
    },
  });
  return { out, got: () => Buffer.concat(chunks) };
}

async function sent(store: BlobStore, blob: BlobRef, range?: { start: number; end?: number }) {
  const { out, got } = receiver();
  await (
    await openSendOf(store)(blob, range)
  )(out);
  return got();
}

function openSendOf(store: BlobStore) {
  if (!store.openSend) throw new Error('this store has no openSend');
  return store.openSend.bind(store);
}

/**
 * describeBlobSendContract is the conformance suite of BlobReader.openSend, for the stores that
 * have it: the filesystem store and the HTTP client (which takes two ways, by blob size).
 */
export function describeBlobSendContract(
  name: string,
  factory: () => Promise<BlobStoreUnderTest>,
): void {
  describe(`BlobStore openSend contract: ${name}`, () => {
    let subject: BlobStoreUnderTest;
    let store: BlobStore;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterEach(async () => subject.dispose());

    it('sends large and small blobs whole, and ranges of them, byte for byte', async () => {
      const large = randomBytes(9 * MiB + 4321);
      const small = randomBytes(300_000);
      const [big, little] = [await put(store, large), await put(store, small)];
      expect((await sent(store, big)).equals(large)).toBe(true);
      expect((await sent(store, little)).equals(small)).toBe(true);
      const range = { start: MiB - 7, end: 7 * MiB + 11 };
      expect((await sent(store, big, range)).equals(large.subarray(MiB - 7, 7 * MiB + 12))).toBe(
        true,
      );
      const tail = await sent(store, big, { start: 9 * MiB });
      expect(tail.equals(large.subarray(9 * MiB))).toBe(true);
      expect((await sent(store, little, { start: 5, end: 9 })).equals(small.subarray(5, 10))).toBe(
        true,
      );
    });

    it('answers NOT_FOUND, with its message, before sending anything', async () => {
      const absent = Digest.fromBytes(Buffer.from('absent'));
      for (const size of [6, 6 * MiB])
        await expect(openSendOf(store)({ digest: absent, size })).rejects.toMatchObject({
          code: 'NOT_FOUND',
          message: expect.stringContaining(`${absent}`),
        });
    });

    it('fails, and stops sending, when the receiver goes away', async () => {
      const blob = await put(store, randomBytes(8 * MiB));
      const out = new Writable({ write: (_chunk, _encoding, done) => setTimeout(done, 20) });
      const sending = (await openSendOf(store)(blob))(out);
      setTimeout(() => out.destroy(), 5);
      await expect(sending).rejects.toThrow();
    });
  });
}
