import { Digest, DomainError } from '@stevedore/domain';
import type { BlobReader } from './blob-store.port';

/**
 * readSmallBlob reads a small stored document (an image config, a manifest) into memory. It holds
 * the read to `size` bytes — a longer blob is refused before it is all in memory — and refuses a
 * descriptor over `maxBytes`. The caller verifies the content (the store did when it committed).
 */
export async function readSmallBlob(
  store: BlobReader,
  blob: { digest: string; size: number },
  maxBytes: number,
): Promise<Buffer> {
  if (blob.size > maxBytes)
    throw DomainError.invalidArgument(`blob ${blob.digest} is ${blob.size} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of await store.read(Digest.parse(blob.digest))) {
    total += (chunk as Buffer).length;
    if (total > blob.size)
      throw DomainError.internal(`stored blob ${blob.digest} is longer than its descriptor`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
