import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Digest, DigestVerifier, DomainError } from '@stevedore/domain';
import type { BlobInfo, BlobRef, BlobWriter, Ingest } from './blob-store.port';
import { openIngest } from './open-ingest';
import { skipTo, writeBlob } from './write-blob';

function blobOf(bytes: Buffer) {
  return { digest: Digest.fromBytes(bytes), size: bytes.length };
}

/**
 * A one-blob writer: what the helpers need of a store, and nothing more (the stores themselves run
 * the helpers through the port's contract suite in @stevedore/testing). `busy` answers CONFLICT.
 */
class OneBlobWriter implements BlobWriter {
  kept: Buffer[] = [];
  committed: Buffer | undefined;
  busy = 0;
  /** Commits of a complete ingest that answer CONFLICT (the blob went away meanwhile). */
  vanished = 0;

  async ingest(blob: BlobRef): Promise<Ingest> {
    if (this.busy > 0) {
      this.busy -= 1;
      throw DomainError.conflict('another writer holds it');
    }
    const verifier = new DigestVerifier(blob.digest, blob.size);
    for (const part of this.kept) verifier.update(part);
    return this.open(blob, verifier);
  }

  private open(blob: BlobRef, verifier: DigestVerifier): Ingest {
    return {
      digest: blob.digest,
      get offset() {
        return verifier.bytes;
      },
      write: async (chunk) => void (verifier.update(chunk), this.kept.push(Buffer.from(chunk))),
      commit: async (): Promise<BlobInfo> => {
        if (this.vanished > 0 && verifier.bytes === blob.size && this.committed) {
          this.vanished -= 1;
          this.committed = undefined;
          this.kept = [];
          throw DomainError.conflict('ingest stands at 0');
        }
        const bytes = Buffer.concat(this.kept);
        this.kept = [];
        verifier.verify();
        this.committed = bytes;
        return blob;
      },
      abort: async () => void (this.kept = []),
      close: async () => undefined,
    };
  }
}

describe('writeBlob', () => {
  it('resumes a kept ingest from a stream that can only start at byte 0', async () => {
    const store = new OneBlobWriter();
    const bytes = randomBytes(200_000);
    store.kept = [bytes.subarray(0, 70_001)];
    const chunks = Array.from({ length: 20 }, (_, i) =>
      bytes.subarray(i * 10_000, i * 10_000 + 10_000),
    );
    const result = await writeBlob(store, blobOf(bytes), skipTo(Readable.from(chunks)));
    expect(result.written).toBe(true);
    expect(store.committed?.equals(bytes)).toBe(true);
  });

  it('commits nothing when the bytes do not match the digest', async () => {
    const store = new OneBlobWriter();
    const bytes = randomBytes(1_000);
    const wrong = { digest: Digest.fromBytes(Buffer.from('other')), size: bytes.length };
    await expect(writeBlob(store, wrong, bytes)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(store.committed).toBeUndefined();
  });

  it('writes again when a blob found present is gone by the time its commit confirms it', async () => {
    const store = new OneBlobWriter();
    const bytes = randomBytes(567);
    await writeBlob(store, blobOf(bytes), bytes);
    store.kept = [bytes]; // the next ingest starts complete: the store has the blob
    store.vanished = 1; // ... until a collection takes it before the commit
    await expect(writeBlob(store, blobOf(bytes), bytes)).resolves.toMatchObject({ written: true });
    expect(store.committed?.equals(bytes)).toBe(true);
  });

  it('waits out writers that hold the digest, then writes', async () => {
    const store = new OneBlobWriter();
    store.busy = 3;
    const bytes = randomBytes(500);
    await expect(writeBlob(store, blobOf(bytes), bytes)).resolves.toMatchObject({ written: true });
    expect(store.busy).toBe(0);
    expect(store.committed?.equals(bytes)).toBe(true);
  });

  it('keeps the bytes written so far when the source fails, for a later resume', async () => {
    const store = new OneBlobWriter();
    const bytes = randomBytes(50_000);
    async function* failing(): AsyncIterable<Uint8Array> {
      yield bytes.subarray(0, 20_000);
      throw new Error('connection reset');
    }
    await expect(writeBlob(store, blobOf(bytes), () => failing())).rejects.toThrow(
      'connection reset',
    );
    const resumed = await store.ingest(blobOf(bytes));
    expect(resumed.offset).toBe(20_000);
  });
});

describe('openIngest', () => {
  it('stops waiting for a conflicting writer when its signal aborts', async () => {
    const store = new OneBlobWriter();
    store.busy = Number.MAX_SAFE_INTEGER;
    const bytes = randomBytes(100);
    const controller = new AbortController();
    const waiting = openIngest(store, blobOf(bytes), { signal: controller.signal });
    controller.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
  });
});
