import { createHash } from 'node:crypto';
import { DomainError } from '../errors/domain-error';

/** DigestAlgorithm names the hash algorithms this project computes and verifies. */
export type DigestAlgorithm = 'sha256' | 'sha512';

/** Hex length of each supported algorithm's encoded part. */
const HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = { sha256: 64, sha512: 128 };

/** The image-spec digest grammar (§6.1): a grammatical digest may still use an algorithm we lack. */
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const LOWER_HEX = /^[a-f0-9]+$/;

function isSupportedAlgorithm(algorithm: string): algorithm is DigestAlgorithm {
  return Object.prototype.hasOwnProperty.call(HEX_LENGTH, algorithm);
}

function invalid(message: string, input: string): DomainError {
  return DomainError.invalidArgument(message, { digest: input });
}

/**
 * Digest is an immutable, validated content address `<algorithm>:<lower-case hex>`; only `sha256`
 * and `sha512` exist as values, so holding a Digest means the store can compute and verify it.
 */
export class Digest {
  private constructor(
    readonly algorithm: DigestAlgorithm,
    readonly hex: string,
  ) {}

  /**
   * Digest.parse validates `input` the way go-digest's `Digest.Validate` does and returns the Digest.
   * Throws INVALID_ARGUMENT `invalid checksum digest format` (no `:`, empty encoded part, bad
   * algorithm spelling, non-lower-hex), INVALID_ARGUMENT `invalid checksum digest length` (wrong hex
   * length for the algorithm), or UNSUPPORTED `unsupported digest algorithm` (grammatical but not
   * sha256/sha512, e.g. `md5:…`, `sha384:…`, `multihash+base58:…`).
   */
  static parse(input: string): Digest {
    const colon = input.indexOf(':');
    if (colon <= 0 || colon === input.length - 1)
      throw invalid('invalid checksum digest format', input);
    const algorithm = input.slice(0, colon);
    const encoded = input.slice(colon + 1);
    if (!isSupportedAlgorithm(algorithm)) {
      if (!DIGEST_GRAMMAR.test(input)) throw invalid('invalid checksum digest format', input);
      throw DomainError.unsupported('unsupported digest algorithm', { digest: input, algorithm });
    }
    if (encoded.length !== HEX_LENGTH[algorithm])
      throw invalid('invalid checksum digest length', input);
    if (!LOWER_HEX.test(encoded)) throw invalid('invalid checksum digest format', input);
    return new Digest(algorithm, encoded);
  }

  /** Digest.isValid tells whether {@link Digest.parse} would accept `input`. */
  static isValid(input: string): boolean {
    try {
      Digest.parse(input);
      return true;
    } catch {
      return false;
    }
  }

  /** Digest.fromBytes hashes `bytes` in one go (for small documents; stream blobs through a Digester). */
  static fromBytes(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): Digest {
    return new Digest(algorithm, createHash(algorithm).update(bytes).digest('hex'));
  }

  /** toString returns the canonical `<algorithm>:<hex>` form. */
  toString(): string {
    return `${this.algorithm}:${this.hex}`;
  }

  /** toJSON makes a Digest serialise as its canonical string inside JSON documents and messages. */
  toJSON(): string {
    return this.toString();
  }

  /** equals compares algorithm and hex with another Digest or a digest string (strings are not parsed). */
  equals(other: Digest | string): boolean {
    return this.toString() === other.toString();
  }
}
