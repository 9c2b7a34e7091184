import { DomainError } from '../errors/domain-error';

/**
 * Platform is an OCI platform: `os` and `architecture` (GOOS/GOARCH values), an optional CPU
 * `variant`, and the Windows-only `osVersion` / `osFeatures` (JSON `os.version` / `os.features`).
 */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly osVersion?: string;
  readonly osFeatures?: readonly string[];
}

// containerd/platforms database.go: the values a lone `--platform` word is checked against.
const KNOWN_OS = new Set(
  'aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris windows zos'.split(
    ' ',
  ),
);
const KNOWN_ARCH = new Set(
  (
    '386 amd64 amd64p32 arm armbe arm64 arm64be ppc64 ppc64le loong64 mips mipsle mips64 mips64le ' +
    'mips64p32 mips64p32le ppc riscv riscv64 s390 s390x sparc sparc64 wasm'
  ).split(' '),
);
const SPECIFIER_PART = /^[A-Za-z0-9_.-]+$/;

/** normalizeOs lower-cases an OS name and maps `macos` to `darwin`. */
export function normalizeOs(os: string): string {
  const lower = os.toLowerCase();
  return lower === 'macos' ? 'darwin' : lower;
}

/** normalizeArch maps architecture aliases and variants to containerd's canonical pair (§5.2). */
export function normalizeArch(
  architecture: string,
  variant = '',
): { architecture: string; variant: string } {
  const arch = architecture.toLowerCase();
  const v = variant.toLowerCase();
  switch (arch) {
    case 'i386':
      return { architecture: '386', variant: '' };
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return { architecture: 'amd64', variant: v === 'v1' ? '' : v };
    case 'aarch64':
    case 'arm64':
      if (v === '8' || v === 'v8' || v === 'v8.0') return { architecture: 'arm64', variant: '' };
      return {
        architecture: 'arm64',
        variant: v === '9' || v === '9.0' || v === 'v9.0' ? 'v9' : v,
      };
    case 'armhf':
      return { architecture: 'arm', variant: 'v7' };
    case 'armel':
      return { architecture: 'arm', variant: 'v6' };
    case 'arm':
      if (v === '' || v === '7') return { architecture: 'arm', variant: 'v7' };
      return { architecture: 'arm', variant: ['5', '6', '8'].includes(v) ? `v${v}` : v };
    default:
      return { architecture: arch, variant: v };
  }
}

/**
 * normalizePlatform returns the canonical form of `platform` (containerd `Normalize`): OS and
 * architecture lower-cased and de-aliased; variant `""` means the architecture's baseline
 * (`amd64` v1, `arm64` v8), `arm` always carries a variant; an empty variant is omitted.
 */
export function normalizePlatform(platform: Platform): Platform {
  const { architecture, variant } = normalizeArch(platform.architecture, platform.variant);
  return {
    os: normalizeOs(platform.os),
    architecture,
    ...(variant ? { variant } : {}),
    ...(platform.osVersion ? { osVersion: platform.osVersion } : {}),
    ...(platform.osFeatures?.length ? { osFeatures: platform.osFeatures } : {}),
  };
}

/** formatPlatform renders `os/arch[/variant]` (the `--platform` syntax and Docker's error texts). */
export function formatPlatform(platform: Platform): string {
  const base = `${platform.os}/${platform.architecture}`;
  return platform.variant ? `${base}/${platform.variant}` : base;
}

function badSpecifier(specifier: string, why: string): DomainError {
  return DomainError.invalidArgument(`invalid platform "${specifier}": ${why}`, {
    platform: specifier,
  });
}

/**
 * parsePlatform parses a `--platform` specifier `os[/arch[/variant]]` and returns it normalised
 * (`linux/aarch64` → linux/arm64, `linux/arm` → linux/arm/v7). A lone known OS takes `host`'s
 * architecture; a lone architecture takes `host`'s OS, or `linux` (images are Linux images) when no
 * host is given. Throws INVALID_ARGUMENT `invalid platform "<s>": <why>`.
 */
export function parsePlatform(specifier: string, host?: Platform): Platform {
  const parts = specifier.split('/');
  if (parts.length > 3 || parts.some((p) => !SPECIFIER_PART.test(p))) {
    throw badSpecifier(specifier, 'expected os[/arch[/variant]]');
  }
  const [first = '', arch, variant] = parts;
  if (arch !== undefined)
    return normalizePlatform({ os: first, architecture: arch, variant: variant ?? '' });
  const os = normalizeOs(first);
  if (KNOWN_OS.has(os)) {
    if (!host) throw badSpecifier(specifier, 'an architecture is required');
    return normalizePlatform({ os, architecture: host.architecture, variant: host.variant ?? '' });
  }
  const lone = normalizeArch(first);
  if (!KNOWN_ARCH.has(lone.architecture))
    throw badSpecifier(specifier, 'unknown operating system or architecture');
  return normalizePlatform({
    os: host?.os ?? 'linux',
    architecture: lone.architecture,
    variant: lone.variant,
  });
}
