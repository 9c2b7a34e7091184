import { Descriptor, Digest, DigestVerifier, DomainError } from '@stevedore/domain';

/**
 * ByteCheck is what a download checks of the bytes as they flow: `update` throws DIGEST_MISMATCH
 * the moment they exceed the blob's size, `verify` at the end when they fall short (or, hashing,
 * when the digest differs).
 */
export interface ByteCheck {
  update(chunk: Uint8Array): unknown;
  readonly bytes: number;
  verify(): Digest;
}

/**
 * SizeCheck counts bytes without hashing them: the check of a download into a sink that hashes
 * every byte itself and verifies the digest when it commits (a blob store's ingest). Hashing here
 * too would hash every byte twice.
 */
export class SizeCheck implements ByteCheck {
  constructor(
    private readonly desc: Descriptor,
    private count = 0,
  ) {}

  get bytes(): number {
    return this.count;
  }

  update(chunk: Uint8Array): this {
    const total = this.count + chunk.byteLength;
    if (total > this.desc.size)
      throw DomainError.digestMismatch(
        `size mismatch for ${this.desc.digest}: expected ${this.desc.size} bytes, received at least ${total}`,
      );
    this.count = total;
    return this;
  }

  verify(): Digest {
    if (this.count !== this.desc.size)
      throw DomainError.digestMismatch(
        `size mismatch for ${this.desc.digest}: expected ${this.desc.size} bytes, received ${this.count}`,
      );
    return this.desc.digest;
  }
}

/** byteCheck hashes unless the sink verifies the digest itself. */
export function byteCheck(desc: Descriptor, sinkVerifies: boolean, start = 0): ByteCheck {
  return sinkVerifies ? new SizeCheck(desc, start) : new DigestVerifier(desc.digest, desc.size);
}
