import { randomBytes } from 'node:crypto';
import { DomainError } from '../errors/domain-error';
import { Digest } from './digest';
import { Digester, DigestVerifier, verifyBytes } from './digester';

function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const blob = randomBytes(100_000);
const expected = Digest.fromBytes(blob);

describe('Digester', () => {
  it.each(['sha256', 'sha512'] as const)(
    'hashes a chunked stream like the whole buffer (%s)',
    (algorithm) => {
      const digester = new Digester(algorithm);
      for (const chunk of chunks(blob, 4099)) digester.update(chunk);
      expect(digester.bytes).toBe(blob.length);
      expect(digester.digest().toString()).toBe(Digest.fromBytes(blob, algorithm).toString());
    },
  );

  it('refuses more input once the digest was taken', () => {
    const digester = new Digester();
    digester.update(blob).digest();
    expect(errorOf(() => digester.update(blob)).code).toBe('INTERNAL');
  });
});

describe('DigestVerifier', () => {
  it('passes the correct stream and returns its digest', () => {
    const verifier = new DigestVerifier(expected, blob.length);
    for (const chunk of chunks(blob, 1000)) verifier.update(chunk);
    expect(verifier.bytes).toBe(blob.length);
    expect(verifier.verify().toString()).toBe(expected.toString());
  });

  it('passes without a size when only the digest is known', () => {
    expect(verifyBytes(blob, expected).equals(expected)).toBe(true);
  });

  it('rejects a stream with one flipped byte and names both digests', () => {
    const corrupt = Uint8Array.from(blob);
    corrupt[50_000] = (corrupt[50_000] ?? 0) ^ 0x01;
    const verifier = new DigestVerifier(expected, blob.length);
    for (const chunk of chunks(corrupt, 1000)) verifier.update(chunk);
    const error = errorOf(() => verifier.verify());
    expect(error.code).toBe('DIGEST_MISMATCH');
    expect(error.message).toBe(
      `digest mismatch: expected ${expected}, got ${Digest.fromBytes(corrupt)}`,
    );
  });

  it('fails as soon as more bytes than the expected size arrive, before the stream ends', () => {
    const verifier = new DigestVerifier(expected, blob.length);
    verifier.update(blob.subarray(0, 60_000));
    const error = errorOf(() => verifier.update(blob.subarray(0, 50_000)));
    expect(error.code).toBe('DIGEST_MISMATCH');
    expect(error.message).toBe(
      `size mismatch for ${expected}: expected 100000 bytes, received at least 110000`,
    );
    expect(verifier.bytes).toBe(60_000);
  });

  it('fails at the end when too few bytes arrived', () => {
    const verifier = new DigestVerifier(expected, blob.length);
    verifier.update(blob.subarray(0, 99_999));
    const error = errorOf(() => verifier.verify());
    expect(error.code).toBe('DIGEST_MISMATCH');
    expect(error.message).toBe(
      `size mismatch for ${expected}: expected 100000 bytes, received 99999`,
    );
  });

  it('verifies with the expected digest algorithm (sha512)', () => {
    const sha512 = Digest.fromBytes(blob, 'sha512');
    expect(verifyBytes(blob, sha512, blob.length).toString()).toBe(sha512.toString());
    expect(errorOf(() => verifyBytes(blob.subarray(1), sha512)).code).toBe('DIGEST_MISMATCH');
  });

  it('rejects a nonsensical expected size', () => {
    expect(errorOf(() => new DigestVerifier(expected, -1)).code).toBe('INVALID_ARGUMENT');
  });
});
