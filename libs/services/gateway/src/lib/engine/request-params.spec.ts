import { DomainError } from '@stevedore/domain';
import {
  atoiParam,
  boolParam,
  enumParams,
  one,
  platformParam,
  serverAddressParam,
} from './request-params';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'INVALID_ARGUMENT') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('boolParam (the daemon’s httputils.BoolValue)', () => {
  // Pinned against dockerd 20.10: `force=maybe` removes an image with two names, `force=%20no%20` does not.
  it.each([
    ['1', true],
    ['true', true],
    ['yes', true],
    ['maybe', true],
    ['', false],
    ['0', false],
    ['No', false],
    [' no ', false],
    ['FALSE', false],
    ['none', false],
    [undefined, false],
  ])('%p → %s', (value, expected) => expect(boolParam(value)).toBe(expected));

  it('reads the first of repeated parameters', () => {
    expect(boolParam(['0', '1'])).toBe(false);
    expect(one(['a', 'b'])).toBe('a');
  });
});

describe('platformParam', () => {
  it('normalises what it accepts and leaves an absent one absent', () => {
    expect(platformParam('linux/aarch64')).toBe('linux/arm64');
    expect(platformParam('')).toBeUndefined();
    expect(platformParam(undefined)).toBeUndefined();
  });

  it('completes a lone OS with this host’s architecture, as the daemon does', () => {
    expect(platformParam('linux')).toMatch(/^linux\/\w+/);
  });

  it('refuses a malformed one in containerd’s words', () => {
    expect(messageOf(() => platformParam('a/b/c/d'))).toBe(
      '"a/b/c/d": cannot parse platform specifier: invalid argument',
    );
  });
});

describe('atoiParam (Go strconv.Atoi, as the daemon parses integers)', () => {
  it.each([
    ['25', 25],
    ['+7', 7],
    ['-3', -3],
    ['', undefined],
    [undefined, undefined],
  ])('%p → %p', (raw, expected) => expect(atoiParam('limit', raw)).toBe(expected));

  it.each([
    ['abc', 'invalid limit specified: strconv.Atoi: parsing "abc": invalid syntax'],
    ['1.5', 'invalid limit specified: strconv.Atoi: parsing "1.5": invalid syntax'],
    [
      '99999999999999999999',
      'invalid limit specified: strconv.Atoi: parsing "99999999999999999999": value out of range',
    ],
  ])('refuses %p', (raw, message) => {
    expect(messageOf(() => atoiParam('limit', raw))).toBe(message);
  });
});

describe('enumParams', () => {
  const types = ['container', 'image', 'volume', 'build-cache'] as const;

  it('returns every value when all are known, none when absent', () => {
    expect(enumParams(['image', 'volume'], types, 'unknown object type')).toEqual([
      'image',
      'volume',
    ]);
    expect(enumParams(undefined, types, 'unknown object type')).toEqual([]);
  });

  it('refuses the first unknown value with the given wording', () => {
    expect(messageOf(() => enumParams(['image', 'bogus'], types, 'unknown object type'))).toBe(
      'unknown object type: bogus',
    );
  });
});

describe('serverAddressParam', () => {
  it.each(['localhost:5000', 'https://index.docker.io/v1/', 'registry.example', '[::1]:443', ''])(
    'accepts %p',
    (address) => expect(serverAddressParam(address)).toBe(address),
  );

  it.each([
    [
      'localhost:99999',
      'unable to parse server address: parse "https://localhost:99999": invalid port ":99999" after host',
    ],
    [
      'localhost:0',
      'unable to parse server address: parse "https://localhost:0": invalid port ":0" after host',
    ],
    [
      'localhost:http',
      'unable to parse server address: parse "https://localhost:http": invalid port ":http" after host',
    ],
    [
      'local\u0000host:5000',
      'unable to parse server address: parse "https://local\\x00host:5000": net/url: invalid control character in URL',
    ],
  ])('refuses %p', (address, message) => {
    expect(messageOf(() => serverAddressParam(address))).toBe(message);
  });
});
