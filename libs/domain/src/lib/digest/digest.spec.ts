import { DomainError } from '../errors/domain-error';
import { Digest } from './digest';
import {
  EMPTY_JSON_DIGEST,
  EMPTY_LAYER_DIFF_ID,
  EMPTY_SHA256,
  EMPTY_SHA512,
  EMPTY_TAR_SIZE,
} from './well-known';

const EMPTY_TAR = '5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('T1 well-known digests', () => {
  it.each([
    ['empty (0 bytes)', new Uint8Array(0), 'sha256', EMPTY_SHA256],
    ['{} (OCI empty descriptor blob)', new TextEncoder().encode('{}'), 'sha256', EMPTY_JSON_DIGEST],
    ['1024 zero bytes (empty tar)', new Uint8Array(EMPTY_TAR_SIZE), 'sha256', EMPTY_LAYER_DIFF_ID],
    ['empty (0 bytes), sha512', new Uint8Array(0), 'sha512', EMPTY_SHA512],
  ] as const)('%s', (_label, bytes, algorithm, expected) => {
    expect(Digest.fromBytes(bytes, algorithm).toString()).toBe(expected.toString());
  });

  it('has the literal values of the reference table', () => {
    expect(EMPTY_SHA256.toString()).toBe(
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(EMPTY_JSON_DIGEST.toString()).toBe(
      'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
    expect(EMPTY_LAYER_DIFF_ID.toString()).toBe(`sha256:${EMPTY_TAR}`);
  });
});

describe('T2 digest validation', () => {
  it.each([`sha256:${EMPTY_TAR}`, `sha512:${'a'.repeat(128)}`])('accepts %s', (input) => {
    const digest = Digest.parse(input);
    expect(digest.toString()).toBe(input);
    expect(Digest.isValid(input)).toBe(true);
  });

  it.each([
    [
      'upper-case hex',
      `sha256:${EMPTY_TAR.toUpperCase()}`,
      'INVALID_ARGUMENT',
      'invalid checksum digest format',
    ],
    ['short hex', 'sha256:5f70bf18', 'INVALID_ARGUMENT', 'invalid checksum digest length'],
    ['empty encoded part', 'sha256:', 'INVALID_ARGUMENT', 'invalid checksum digest format'],
    [
      'no algorithm (leading colon)',
      `:${EMPTY_TAR}`,
      'INVALID_ARGUMENT',
      'invalid checksum digest format',
    ],
    ['no algorithm at all', EMPTY_TAR, 'INVALID_ARGUMENT', 'invalid checksum digest format'],
    [
      'upper-case algorithm',
      `SHA256:${EMPTY_TAR}`,
      'INVALID_ARGUMENT',
      'invalid checksum digest format',
    ],
    ['md5', 'md5:d41d8cd98f00b204e9800998ecf8427e', 'UNSUPPORTED', 'unsupported digest algorithm'],
    [
      'multihash',
      'multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8',
      'UNSUPPORTED',
      'unsupported digest algorithm',
    ],
    [
      'sha256+b64u',
      'sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564',
      'UNSUPPORTED',
      'unsupported digest algorithm',
    ],
    [
      'sha384 (known to go-digest, not computed here)',
      `sha384:${'a'.repeat(96)}`,
      'UNSUPPORTED',
      'unsupported digest algorithm',
    ],
    [
      'sha512 with sha256 length',
      `sha512:${EMPTY_TAR}`,
      'INVALID_ARGUMENT',
      'invalid checksum digest length',
    ],
  ])('rejects %s', (_label, input, code, message) => {
    const error = errorOf(() => Digest.parse(input));
    expect([error.code, error.message]).toEqual([code, message]);
    expect(Digest.isValid(input)).toBe(false);
  });
});

describe('Digest value', () => {
  it('exposes algorithm and hex, compares by value and serialises as a string', () => {
    const digest = Digest.parse(`sha256:${EMPTY_TAR}`);
    expect(digest.algorithm).toBe('sha256');
    expect(digest.hex).toBe(EMPTY_TAR);
    expect(digest.equals(Digest.fromBytes(new Uint8Array(1024)))).toBe(true);
    expect(digest.equals(`sha256:${EMPTY_TAR}`)).toBe(true);
    expect(digest.equals(EMPTY_SHA256)).toBe(false);
    expect(JSON.stringify({ digest })).toBe(`{"digest":"sha256:${EMPTY_TAR}"}`);
  });
});
