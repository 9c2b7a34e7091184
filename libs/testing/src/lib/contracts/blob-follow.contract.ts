import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobRef, BlobStore, FollowOptions } from '@stevedore/blob-port';
import { Digest } from '@stevedore/domain';
import type { BlobStoreUnderTest } from './blob-store.contract';

type Follow = NonNullable<BlobStore['follow']>;

/** followWhenThere follows `blob` once its ingest reached the store (over HTTP, with its first bytes). */
async function followWhenThere(
  follow: Follow,
  blob: BlobRef,
  options?: FollowOptions,
): Promise<Readable> {
  for (const deadline = Date.now() + 5_000; ;) {
    try {
      return await follow(blob, options);
    } catch (err) {
      if ((err as { code?: string }).code !== 'NOT_FOUND' || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** take reads from `chunks` until at least `count` bytes came (or the stream ended). */
async function take(chunks: AsyncIterator<Buffer>, count: number): Promise<Buffer> {
  const got: Buffer[] = [];
  let total = 0;
  while (total < count) {
    const next = await chunks.next();
    if (next.done) break;
    got.push(next.value);
    total += next.value.length;
  }
  return Buffer.concat(got);
}

const iterate = (stream: Readable) => stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

/**
 * describeBlobFollowContract is the conformance suite of BlobReader.follow (reading a blob while
 * it is ingested), for the stores that offer it: the filesystem store and its HTTP client.
 */
export function describeBlobFollowContract(
  name: string,
  factory: () => Promise<BlobStoreUnderTest>,
): void {
  describe(`BlobStore follow contract: ${name}`, () => {
    let subject: BlobStoreUnderTest;
    let store: BlobStore;
    let follow: Follow;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
      if (!store.follow) throw new Error(`${name} cannot follow ingests`);
      follow = store.follow.bind(store);
    });
    afterEach(async () => subject.dispose());

    it('gives the bytes of an ingest before its commit, and the whole blob once committed', async () => {
      const bytes = randomBytes(3_000_000);
      const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
      const ingest = await store.ingest(blob);
      await ingest.write(bytes.subarray(0, 1_000_000));
      const chunks = iterate(await followWhenThere(follow, blob));
      // Everything written so far arrives while the rest is not even written.
      const early = await take(chunks, 1_000_000);
      expect(early.equals(bytes.subarray(0, 1_000_000))).toBe(true);
      await ingest.write(bytes.subarray(1_000_000));
      await ingest.commit();
      const rest = await take(chunks, Infinity);
      expect(Buffer.concat([early, rest]).equals(bytes)).toBe(true);
    });

    it('reads a committed blob whole, and answers NOT_FOUND without blob or ingest', async () => {
      const bytes = randomBytes(10_000);
      const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
      await expect(follow(blob)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const ingest = await store.ingest(blob);
      await ingest.write(bytes);
      await ingest.commit();
      expect((await take(iterate(await follow(blob)), Infinity)).equals(bytes)).toBe(true);
    });

    it('starts at an offset, before or beyond what the ingest holds, and gives the rest', async () => {
      const bytes = randomBytes(3_000_000);
      const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
      const ingest = await store.ingest(blob);
      await ingest.write(bytes.subarray(0, 1_000_000));
      const within = iterate(await followWhenThere(follow, blob, { offset: 400_000 }));
      const beyond = iterate(await follow(blob, { offset: 2_500_000 }));
      expect((await take(within, 600_000)).equals(bytes.subarray(400_000, 1_000_000))).toBe(true);
      await ingest.write(bytes.subarray(1_000_000));
      await ingest.commit();
      const rest = await take(within, Infinity);
      expect(rest.equals(bytes.subarray(1_000_000))).toBe(true);
      expect((await take(beyond, Infinity)).equals(bytes.subarray(2_500_000))).toBe(true);
    });

    it('starts a committed blob at an offset, and refuses an offset outside the blob', async () => {
      const bytes = randomBytes(10_000);
      const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
      const ingest = await store.ingest(blob);
      await ingest.write(bytes);
      await ingest.commit();
      const tail = await take(iterate(await follow(blob, { offset: 9_000 })), Infinity);
      expect(tail.equals(bytes.subarray(9_000))).toBe(true);
      for (const offset of [10_000, -1])
        await expect(follow(blob, { offset })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });

    it('fails the stream when the ingest is discarded', async () => {
      const bytes = randomBytes(2_000_000);
      const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
      const ingest = await store.ingest(blob);
      await ingest.write(bytes.subarray(0, 500_000));
      const chunks = iterate(await followWhenThere(follow, blob));
      await take(chunks, 500_000);
      await ingest.abort();
      await expect(take(chunks, Infinity)).rejects.toThrow();
    });

    it('lets a waiting follower be destroyed at once, and the writer go on', async () => {
      const bytes = randomBytes(100_000);
      const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
      const ingest = await store.ingest(blob);
      await ingest.write(bytes.subarray(0, 10_000));
      const stream = await followWhenThere(follow, blob);
      await take(iterate(stream), 10_000);
      const closed = new Promise((resolve) => stream.once('close', resolve));
      stream.destroy(new Error('client went away'));
      await closed;
      await ingest.write(bytes.subarray(10_000));
      await expect(ingest.commit()).resolves.toEqual(blob);
    });

    it('never gives the last byte of bytes whose commit fails verification', async () => {
      const bytes = randomBytes(1_500_000);
      const blob = { digest: Digest.fromBytes(Buffer.from('another blob')), size: bytes.length };
      const ingest = await store.ingest(blob);
      await ingest.write(bytes.subarray(0, 1_000));
      const stream = await followWhenThere(follow, blob);
      await ingest.write(bytes.subarray(1_000));
      let received = 0;
      // Settled as soon as it fails: the follower may see the discarded ingest before the commit's
      // own rejection arrives.
      const reading = (async () => {
        for await (const chunk of stream) received += (chunk as Buffer).length;
      })().then(
        () => undefined,
        (err: unknown) => err,
      );
      await expect(ingest.commit()).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
      expect(await reading).toBeInstanceOf(Error);
      expect(received).toBeLessThan(bytes.length);
    });
  });
}
