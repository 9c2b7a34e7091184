import { DomainError } from '../errors/domain-error';
import { defaultTargetPlatform, hostPlatform } from './host-platform';
import { compatibilityVector, platformMatcher } from './matcher';
import { formatPlatform, normalizePlatform, parsePlatform } from './platform';
import { goQuote } from '../errors/go-quote';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('T8 platform normalisation', () => {
  it.each([
    ['linux/aarch64', 'linux/arm64'],
    ['linux/arm64/v8', 'linux/arm64'],
    ['linux/arm', 'linux/arm/v7'],
    ['linux/armhf', 'linux/arm/v7'],
    ['linux/armel', 'linux/arm/v6'],
    ['linux/x86_64', 'linux/amd64'],
    ['linux/amd64/v1', 'linux/amd64'],
    ['linux/i386', 'linux/386'],
    ['macos/arm64', 'darwin/arm64'],
  ])('%s → %s', (input, expected) => {
    expect(formatPlatform(parsePlatform(input))).toBe(expected);
  });

  it('makes arm64/v8 match entries with variant v8 or none', () => {
    const matcher = platformMatcher(parsePlatform('linux/arm64/v8'));
    expect(matcher.matches({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(true);
    expect(matcher.matches({ os: 'linux', architecture: 'arm64' })).toBe(true);
  });
});

describe('§5.2 normalisation table', () => {
  it.each([
    ['x86-64', '', 'amd64', undefined],
    ['amd64', 'v3', 'amd64', 'v3'],
    ['arm64', '8', 'arm64', undefined],
    ['arm64', 'v8.0', 'arm64', undefined],
    ['arm64', '9', 'arm64', 'v9'],
    ['arm64', 'v9.0', 'arm64', 'v9'],
    ['arm64', 'v8.2', 'arm64', 'v8.2'],
    ['arm', '7', 'arm', 'v7'],
    ['arm', '5', 'arm', 'v5'],
    ['arm', '6', 'arm', 'v6'],
    ['arm', '8', 'arm', 'v8'],
    ['i386', 'whatever', '386', undefined],
    ['AMD64', '', 'amd64', undefined],
  ])('%s variant %p → %s %p', (architecture, variant, arch, v) => {
    const normalized = normalizePlatform({ os: 'Linux', architecture, variant });
    expect(normalized).toEqual({ os: 'linux', architecture: arch, ...(v ? { variant: v } : {}) });
  });
});

describe('parsePlatform', () => {
  const host = { os: 'linux', architecture: 'arm', variant: 'v6' };

  it('gives a lone OS the host architecture and a lone architecture the host OS', () => {
    expect(parsePlatform('linux', host)).toEqual({
      os: 'linux',
      architecture: 'arm',
      variant: 'v6',
    });
    expect(parsePlatform('aarch64', { os: 'darwin', architecture: 'arm64' })).toEqual({
      os: 'darwin',
      architecture: 'arm64',
    });
    expect(parsePlatform('amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
  });

  const OS_RE = String.raw`^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$`;
  const osComponent = (part: string, spec: string) =>
    `"${part}" is an invalid OS component of "${spec}": OSAndVersion specifier component must match "${OS_RE.replace(/\\/g, '\\\\')}": invalid argument`;
  const component = (part: string, spec: string) =>
    `"${part}" is an invalid component of "${spec}": platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid argument`;

  // containerd/platforms Parse, which the daemon runs on `--platform`, word for word.
  it.each([
    ['../../etc', osComponent('..', '../../etc')],
    ['', osComponent('', '')],
    ['linux/', component('', 'linux/')],
    ['linux//v7', component('', 'linux//v7')],
    ['linux/amd 64', component('amd 64', 'linux/amd 64')],
    ['a/b/c/d', '"a/b/c/d": cannot parse platform specifier: invalid argument'],
    ['a/b/c/d/e', component('d/e', 'a/b/c/d/e')],
    ['linux/*', '"linux/*": wildcards not yet supported: invalid argument'],
    ['potato', '"potato": unknown operating system or architecture: invalid argument'],
    ['lin\u0000ux', osComponent('lin\\x00ux', 'lin\\x00ux')],
  ])('rejects %p in containerd’s words', (input, message) => {
    const error = errorOf(() => parsePlatform(input, host));
    expect([error.code, error.message]).toEqual(['INVALID_ARGUMENT', message]);
  });

  it('still needs a host to complete a lone OS', () => {
    expect(errorOf(() => parsePlatform('windows')).message).toBe(
      '"windows": an architecture is required: invalid argument',
    );
  });

  it('reads an OS version and OS features in parentheses', () => {
    expect(parsePlatform('windows(10.0.17763+win32k)/amd64')).toEqual({
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.17763',
      osFeatures: ['win32k'],
    });
  });

  it('accepts an architecture it does not know when the OS is given, as containerd does', () => {
    expect(parsePlatform('linux/bogus')).toEqual({ os: 'linux', architecture: 'bogus' });
  });
});

describe('goQuote', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['nul\u0000 bell\u0007 tab\t del\u007f', '"nul\\x00 bell\\a tab\\t del\\x7f"'],
  ])('quotes %p as Go’s %%q does', (input, quoted) => {
    expect(goQuote(input)).toBe(quoted);
  });
});

describe('§5.3 compatibility vectors', () => {
  const show = (spec: string): string[] =>
    compatibilityVector(parsePlatform(spec)).map((s) => formatPlatform({ os: 'linux', ...s }));

  it.each([
    ['linux/amd64/v3', ['linux/amd64/v3', 'linux/amd64/v2', 'linux/amd64', 'linux/386']],
    ['linux/amd64', ['linux/amd64', 'linux/386']],
    ['linux/arm/v7', ['linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']],
    [
      'linux/arm64',
      ['linux/arm64', 'linux/arm/v8', 'linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5'],
    ],
    [
      'linux/arm64/v8.2',
      [
        'linux/arm64/v8.2',
        'linux/arm64/v8.1',
        'linux/arm64',
        'linux/arm/v8',
        'linux/arm/v7',
        'linux/arm/v6',
        'linux/arm/v5',
      ],
    ],
    ['linux/386', ['linux/386']],
    ['linux/riscv64', ['linux/riscv64']],
  ])('%s runs %j', (spec, vector) => {
    expect(show(spec)).toEqual(vector);
  });

  it('lets arm64/v9.1 run v9 and v8.6 down to v8 before 32-bit arm', () => {
    expect(show('linux/arm64/v9.1').slice(0, 9)).toEqual([
      'linux/arm64/v9.1',
      'linux/arm64/v9',
      'linux/arm64/v8.6',
      'linux/arm64/v8.5',
      'linux/arm64/v8.4',
      'linux/arm64/v8.3',
      'linux/arm64/v8.2',
      'linux/arm64/v8.1',
      'linux/arm64',
    ]);
  });

  it('requires entry os.features to be a subset of the target, and Windows major.minor to agree', () => {
    const win = platformMatcher({
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.17763.5329',
      osFeatures: ['win32k'],
    });
    expect(
      win.matches({
        os: 'windows',
        architecture: 'amd64',
        osVersion: '10.0.20348.1',
        osFeatures: ['win32k'],
      }),
    ).toBe(true);
    expect(win.matches({ os: 'windows', architecture: 'amd64', osVersion: '6.3.9600' })).toBe(
      false,
    );
    expect(
      platformMatcher({ os: 'linux', architecture: 'amd64' }).matches({
        os: 'linux',
        architecture: 'amd64',
        osFeatures: ['x'],
      }),
    ).toBe(false);
    expect(
      platformMatcher({ os: 'linux', architecture: 'amd64' }).matches({
        os: 'windows',
        architecture: 'amd64',
      }),
    ).toBe(false);
  });
});

describe('hostPlatform', () => {
  it.each([
    ['x64', 'linux', {}, 'linux/amd64'],
    ['arm64', 'darwin', {}, 'darwin/arm64'],
    ['arm', 'linux', {}, 'linux/arm/v7'],
    ['arm', 'linux', { armVersion: '6' }, 'linux/arm/v6'],
    ['ia32', 'win32', {}, 'windows/386'],
    ['ppc64', 'linux', {}, 'linux/ppc64le'],
    ['ppc64', 'aix', { endianness: 'BE' as const }, 'aix/ppc64'],
    ['s390x', 'linux', {}, 'linux/s390x'],
    ['riscv64', 'linux', {}, 'linux/riscv64'],
    ['loong64', 'linux', {}, 'linux/loong64'],
    ['mipsel', 'linux', {}, 'linux/mipsle'],
  ])('maps process.arch %s on %s', (arch, platform, options, expected) => {
    expect(formatPlatform(hostPlatform(arch, platform, options))).toBe(expected);
  });

  it('refuses values Node never reports', () => {
    expect(errorOf(() => hostPlatform('z80', 'linux')).message).toBe(
      'unsupported host architecture z80',
    );
    expect(errorOf(() => hostPlatform('x64', 'beos')).code).toBe('UNSUPPORTED');
  });

  it('targets linux images with the host CPU by default, even on macOS', () => {
    expect(formatPlatform(defaultTargetPlatform(hostPlatform('arm64', 'darwin')))).toBe(
      'linux/arm64',
    );
    expect(
      formatPlatform(defaultTargetPlatform(hostPlatform('arm', 'linux', { armVersion: '6' }))),
    ).toBe('linux/arm/v6');
  });
});
