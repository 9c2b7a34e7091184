import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { BlobRef, BlobStore, openIngest, writeBlob } from '@stevedore/blob-port';
import { Digest } from '@stevedore/domain';

/** A store under test and how to dispose of it. */
export interface BlobStoreUnderTest {
  store: BlobStore;
  dispose(): Promise<void>;
}

function sha256(bytes: Uint8Array): Digest {
  return Digest.fromBytes(bytes);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function put(store: BlobStore, bytes: Buffer): Promise<Digest> {
  const digest = sha256(bytes);
  const ingest = await store.ingest({ digest, size: bytes.length });
  await ingest.write(bytes);
  await ingest.commit();
  return digest;
}

/**
 * heldElsewhere waits until another ingest of `blob` is CONFLICT: at once for a local store; an HTTP
 * ingest holds the digest only once its PUT reaches the server.
 */
async function heldElsewhere(store: BlobStore, blob: BlobRef): Promise<void> {
  for (const deadline = Date.now() + 5_000; Date.now() < deadline;) {
    const probe = await store.ingest(blob).catch((err: unknown) => err);
    if ((probe as { code?: string }).code === 'CONFLICT') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the ingest of ${blob.digest} never became exclusive`);
}

/**
 * describeBlobStoreContract is the conformance suite of the BlobStore port (after containerd's
 * content testsuite): every implementation — the filesystem store, its HTTP client — runs it.
 */
export function describeBlobStoreContract(
  name: string,
  factory: () => Promise<BlobStoreUnderTest>,
): void {
  describe(`BlobStore contract: ${name}`, () => {
    let subject: BlobStoreUnderTest;
    let store: BlobStore;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterEach(async () => subject.dispose());

    it('commits a verified blob, then stats and reads it back', async () => {
      const bytes = randomBytes(300_000);
      const digest = await put(store, bytes);
      await expect(store.stat(digest)).resolves.toEqual({ digest, size: bytes.length });
      expect((await readAll(await store.read(digest))).equals(bytes)).toBe(true);
    });

    it('reads an inclusive byte range', async () => {
      const bytes = Buffer.from('0123456789');
      const digest = await put(store, bytes);
      expect((await readAll(await store.read(digest, { start: 3, end: 6 }))).toString()).toBe(
        '3456',
      );
      expect((await readAll(await store.read(digest, { start: 7 }))).toString()).toBe('789');
    });

    it('rejects a wrong digest with DIGEST_MISMATCH and keeps nothing', async () => {
      const bytes = randomBytes(1000);
      const wrong = sha256(Buffer.from('something else'));
      const ingest = await store.ingest({ digest: wrong, size: bytes.length });
      await ingest.write(bytes);
      await expect(ingest.commit()).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
      await expect(store.stat(wrong)).resolves.toBeUndefined();
      const again = await store.ingest({ digest: wrong, size: bytes.length });
      expect(again.offset).toBe(0);
      await again.abort();
    });

    it('forgets an ingest aborted while its bytes are still flowing', async () => {
      const bytes = randomBytes(4 << 20);
      const ingest = await store.ingest({ digest: sha256(bytes), size: bytes.length });
      await ingest.write(bytes.subarray(0, 3 << 20));
      await ingest.abort();
      const again = await store.ingest({ digest: sha256(bytes), size: bytes.length });
      expect(again.offset).toBe(0);
      await again.abort();
    });

    it('stops a blob that grows past its declared size at once', async () => {
      const bytes = randomBytes(100);
      const ingest = await store.ingest({ digest: sha256(bytes), size: 50 });
      await expect(ingest.write(bytes)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
      await expect(store.stat(sha256(bytes))).resolves.toBeUndefined();
    });

    it('rejects a short blob at commit', async () => {
      const bytes = randomBytes(100);
      const ingest = await store.ingest({ digest: sha256(bytes), size: 100 });
      await ingest.write(bytes.subarray(0, 60));
      await expect(ingest.commit()).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    });

    it('resumes an interrupted ingest at its offset and verifies the whole', async () => {
      const bytes = randomBytes(200_000);
      const digest = sha256(bytes);
      const first = await store.ingest({ digest, size: bytes.length });
      await first.write(bytes.subarray(0, 77_777));
      await first.close();
      await expect(store.stat(digest)).resolves.toBeUndefined(); // no partial blob is visible
      const second = await store.ingest({ digest, size: bytes.length });
      expect(second.offset).toBe(77_777);
      await second.write(bytes.subarray(77_777));
      await expect(second.commit()).resolves.toEqual({ digest, size: bytes.length });
      expect((await readAll(await store.read(digest))).equals(bytes)).toBe(true);
    });

    it('replays the bytes an interrupted ingest kept, when the store can', async () => {
      const bytes = randomBytes(150_000);
      const digest = sha256(bytes);
      const first = await store.ingest({ digest, size: bytes.length });
      await first.write(bytes.subarray(0, 100_001));
      await first.close();
      const second = await store.ingest({ digest, size: bytes.length });
      if (!second.replay) return void (await second.abort()); // optional in the port
      const chunks: Buffer[] = [];
      for await (const chunk of second.replay()) chunks.push(Buffer.from(chunk));
      expect(Buffer.concat(chunks).equals(bytes.subarray(0, 100_001))).toBe(true);
      await second.write(bytes.subarray(100_001));
      await expect(second.commit()).resolves.toEqual({ digest, size: bytes.length });
    });

    it('treats ingesting a present blob as already done', async () => {
      const bytes = randomBytes(64);
      const digest = await put(store, bytes);
      const ingest = await store.ingest({ digest, size: 64 });
      expect(ingest.offset).toBe(64);
      await expect(ingest.commit()).resolves.toEqual({ digest, size: 64 });
    });

    it('lists, measures and deletes blobs', async () => {
      const a = await put(store, Buffer.from('a'.repeat(10)));
      const b = await put(store, Buffer.from('b'.repeat(20)));
      const listed: string[] = [];
      for await (const info of store.list()) listed.push(info.digest.toString());
      expect(listed.sort()).toEqual([a.toString(), b.toString()].sort());
      await expect(store.usage()).resolves.toEqual({ blobs: 2, bytes: 30 });
      await expect(store.delete(a)).resolves.toBe(true);
      await expect(store.delete(a)).resolves.toBe(false);
      await expect(store.usage()).resolves.toEqual({ blobs: 1, bytes: 20 });
    });

    it('answers NOT_FOUND for a missing blob and INVALID_ARGUMENT for a malformed digest', async () => {
      await expect(store.read(sha256(Buffer.from('missing')))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(store.read(sha256(Buffer.from('x')), { start: 5 })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('writes a whole blob once: a second writeBlob finds it present', async () => {
      const bytes = randomBytes(70_000);
      const blob = { digest: sha256(bytes), size: bytes.length };
      const first = await writeBlob(store, blob, bytes);
      expect(first).toEqual({ info: blob, written: true });
      await expect(writeBlob(store, blob, bytes)).resolves.toEqual({ info: blob, written: false });
    });

    it('resumes a kept ingest from its offset with writeBlob', async () => {
      const bytes = randomBytes(90_000);
      const blob = { digest: sha256(bytes), size: bytes.length };
      const first = await store.ingest(blob);
      await first.write(bytes.subarray(0, 33_333));
      await first.close();
      const offsets: number[] = [];
      const source = (offset: number) => (offsets.push(offset), [bytes.subarray(offset)]);
      await expect(writeBlob(store, blob, source)).resolves.toEqual({ info: blob, written: true });
      expect(offsets).toEqual([33_333]);
      expect((await readAll(await store.read(blob.digest))).equals(bytes)).toBe(true);
    });

    it('makes openIngest wait for a conflicting writer, then see its commit', async () => {
      const bytes = randomBytes(10_000);
      const blob = { digest: sha256(bytes), size: bytes.length };
      const holder = await store.ingest(blob);
      await holder.write(bytes.subarray(0, 5_000));
      await heldElsewhere(store, blob);
      const waiting = openIngest(store, blob, { maxWaitMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await holder.write(bytes.subarray(5_000));
      await holder.commit();
      const next = await waiting;
      expect(next.offset).toBe(bytes.length);
      await expect(next.commit()).resolves.toEqual(blob);
    });

    it('gives up on a conflicting writer after maxWaitMs with UNAVAILABLE', async () => {
      const bytes = randomBytes(1_000);
      const blob = { digest: sha256(bytes), size: bytes.length };
      const holder = await store.ingest(blob);
      await holder.write(bytes.subarray(0, 10));
      await heldElsewhere(store, blob);
      await expect(openIngest(store, blob, { maxWaitMs: 200 })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      });
      await holder.abort();
    });
  });
}
