import { DomainError } from '../errors/domain-error';
import { goQuote } from '../errors/go-quote';

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
// containerd/platforms Parse: the OS part may carry `(version+feature…)`; the others are plain words.
const SPECIFIER_RE = /^[A-Za-z0-9_.-]+$/;
const OS_RE = /^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$/;

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

/** invalid words a parse failure as containerd does: `<detail>: invalid argument`. */
function invalid(detail: string, specifier: string): DomainError {
  return DomainError.invalidArgument(`${detail}: invalid argument`, { platform: specifier });
}

/**
 * checkParts splits a specifier into at most four parts (more are not split, like Go's SplitN)
 * and checks each one's characters, in containerd's order and words.
 */
function checkParts(specifier: string): { parts: string[]; os: RegExpExecArray } {
  const q = goQuote(specifier);
  if (specifier.includes('*')) throw invalid(`${q}: wildcards not yet supported`, specifier);
  const split = specifier.split('/');
  const parts = split.length > 4 ? [...split.slice(0, 3), split.slice(3).join('/')] : split;
  const os = OS_RE.exec(parts[0] ?? '');
  if (!os) {
    const must = `OSAndVersion specifier component must match ${goQuote(OS_RE.source)}`;
    throw invalid(
      `${goQuote(parts[0] ?? '')} is an invalid OS component of ${q}: ${must}`,
      specifier,
    );
  }
  for (const part of parts.slice(1)) {
    if (SPECIFIER_RE.test(part)) continue;
    const must = `platform specifier component must match ${goQuote(SPECIFIER_RE.source)}`;
    throw invalid(`${goQuote(part)} is an invalid component of ${q}: ${must}`, specifier);
  }
  return { parts, os };
}

/** osOptions reads the `(version+feature…)` of an OS part (percent-encoded, as containerd writes them). */
function osOptions(os: RegExpExecArray): Pick<Platform, 'osVersion' | 'osFeatures'> {
  const decode = (v: string) => (v.includes('%') ? decodeURIComponent(v) : v);
  const version = decode(os[2] ?? '');
  const features = (os[3] ?? '').split('+').filter(Boolean).map(decode);
  return {
    ...(version ? { osVersion: version } : {}),
    ...(features.length ? { osFeatures: features } : {}),
  };
}

/**
 * parsePlatform parses a `--platform` specifier `os[(version+features)][/arch[/variant]]` as
 * containerd does and returns it normalised (`linux/aarch64` → linux/arm64, `linux/arm` →
 * linux/arm/v7). A lone known OS takes `host`'s architecture; a lone architecture takes `host`'s
 * OS, or `linux` (images are Linux images) when no host is given. Throws INVALID_ARGUMENT in
 * containerd's words (`"../../etc" …: invalid argument`), which is what the daemon answers.
 */
export function parsePlatform(specifier: string, host?: Platform): Platform {
  const { parts, os: osMatch } = checkParts(specifier);
  const os = normalizeOs(osMatch[1] ?? '');
  const options = osOptions(osMatch);
  const [first = '', arch, variant] = parts;
  if (parts.length > 3)
    throw invalid(`${goQuote(specifier)}: cannot parse platform specifier`, specifier);
  if (arch !== undefined)
    return { ...normalizePlatform({ os, architecture: arch, variant: variant ?? '' }), ...options };
  if (KNOWN_OS.has(os)) {
    if (!host) throw invalid(`${goQuote(specifier)}: an architecture is required`, specifier);
    return normalizePlatform({
      os,
      architecture: host.architecture,
      variant: host.variant ?? '',
      ...options,
    });
  }
  const lone = normalizeArch(first);
  if (!KNOWN_ARCH.has(lone.architecture))
    throw invalid(`${goQuote(specifier)}: unknown operating system or architecture`, specifier);
  return normalizePlatform({
    os: host?.os ?? 'linux',
    architecture: lone.architecture,
    variant: lone.variant,
  });
}
