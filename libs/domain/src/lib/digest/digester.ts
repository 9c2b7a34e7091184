import { createHash, Hash } from 'node:crypto';
import { DomainError } from '../errors/domain-error';
import { Digest, DigestAlgorithm } from './digest';

/**
 * Digester hashes a stream chunk by chunk and counts its bytes; `digest()` finishes it, after which
 * it cannot be updated again.
 */
export class Digester {
  private readonly hash: Hash;
  private count = 0;
  private result: Digest | undefined;

  constructor(readonly algorithm: DigestAlgorithm = 'sha256') {
    this.hash = createHash(algorithm);
  }

  /** update feeds the next chunk; throws INTERNAL if the digest was already taken. */
  update(chunk: Uint8Array): this {
    if (this.result) throw DomainError.internal('digester already finished');
    this.hash.update(chunk);
    this.count += chunk.byteLength;
    return this;
  }

  /** bytes is the number of bytes fed so far. */
  get bytes(): number {
    return this.count;
  }

  /** digest finishes the hash and returns the Digest of everything fed; later calls return the same value. */
  digest(): Digest {
    this.result ??= Digest.parse(`${this.algorithm}:${this.hash.digest('hex')}`);
    return this.result;
  }
}

/**
 * DigestVerifier checks a stream against an expected digest (and optionally a size) while it flows:
 * `update` throws DIGEST_MISMATCH as soon as more than `expectedSize` bytes arrived, and `verify`
 * throws DIGEST_MISMATCH at the end when the size falls short or the digest differs. The hash uses the
 * expected digest's algorithm.
 */
export class DigestVerifier {
  private readonly digester: Digester;

  constructor(
    readonly expected: Digest,
    readonly expectedSize?: number,
  ) {
    if (expectedSize !== undefined && !(Number.isSafeInteger(expectedSize) && expectedSize >= 0)) {
      throw DomainError.invalidArgument(`invalid expected size ${expectedSize} for ${expected}`);
    }
    this.digester = new Digester(expected.algorithm);
  }

  /** update feeds the next chunk; throws DIGEST_MISMATCH the moment the stream exceeds the expected size. */
  update(chunk: Uint8Array): this {
    const total = this.digester.bytes + chunk.byteLength;
    if (this.expectedSize !== undefined && total > this.expectedSize) {
      throw DomainError.digestMismatch(
        `size mismatch for ${this.expected}: expected ${this.expectedSize} bytes, received at least ${total}`,
        { expected: this.expected.toString(), expectedSize: this.expectedSize, actualSize: total },
      );
    }
    this.digester.update(chunk);
    return this;
  }

  /** bytes is the number of bytes accepted so far. */
  get bytes(): number {
    return this.digester.bytes;
  }

  /** verify finishes the stream: returns the verified Digest, or throws DIGEST_MISMATCH naming both digests or both sizes. */
  verify(): Digest {
    const size = this.digester.bytes;
    if (this.expectedSize !== undefined && size !== this.expectedSize) {
      throw DomainError.digestMismatch(
        `size mismatch for ${this.expected}: expected ${this.expectedSize} bytes, received ${size}`,
        { expected: this.expected.toString(), expectedSize: this.expectedSize, actualSize: size },
      );
    }
    const actual = this.digester.digest();
    if (!actual.equals(this.expected)) {
      throw DomainError.digestMismatch(
        `digest mismatch: expected ${this.expected}, got ${actual}`,
        {
          expected: this.expected.toString(),
          actual: actual.toString(),
          size,
        },
      );
    }
    return actual;
  }
}

/**
 * verifyBytes checks a whole in-memory document (a manifest or config) against its expected digest
 * and optional size, throwing DIGEST_MISMATCH like {@link DigestVerifier.verify}.
 */
export function verifyBytes(bytes: Uint8Array, expected: Digest, expectedSize?: number): Digest {
  return new DigestVerifier(expected, expectedSize).update(bytes).verify();
}
