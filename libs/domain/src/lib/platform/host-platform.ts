import { DomainError } from '../errors/domain-error';
import { Platform, normalizePlatform } from './platform';

const ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  s390x: 's390x',
  s390: 's390',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
  ppc: 'ppc',
};

const OS: Readonly<Record<string, string>> = {
  linux: 'linux',
  darwin: 'darwin',
  win32: 'windows',
  freebsd: 'freebsd',
  openbsd: 'openbsd',
  netbsd: 'netbsd',
  aix: 'aix',
  sunos: 'solaris',
  android: 'android',
};

/** HostPlatformOptions carry the runtime facts `process.arch` alone does not give. */
export interface HostPlatformOptions {
  /** ARM architecture version of a 32-bit ARM host (Node: `process.config.variables.arm_version`), default `7`. */
  readonly armVersion?: string;
  /** Byte order (Node: `os.endianness()`), deciding `ppc64` vs `ppc64le`; default `LE`. */
  readonly endianness?: 'LE' | 'BE';
}

/**
 * hostPlatform maps Node's `process.arch` / `process.platform` values to the normalised OCI
 * platform of this machine (`x64` → amd64, `arm64` → arm64, `arm` → arm/v<armVersion>, `ia32` → 386,
 * `ppc64` → ppc64le on little-endian, `win32` → windows); throws UNSUPPORTED for values it does not know.
 */
export function hostPlatform(
  nodeArch: string,
  nodePlatform: string,
  options: HostPlatformOptions = {},
): Platform {
  const os = OS[nodePlatform];
  if (!os) throw DomainError.unsupported(`unsupported host operating system ${nodePlatform}`);
  if (nodeArch === 'ppc64')
    return { os, architecture: options.endianness === 'BE' ? 'ppc64' : 'ppc64le' };
  const architecture = ARCH[nodeArch];
  if (!architecture) throw DomainError.unsupported(`unsupported host architecture ${nodeArch}`);
  const variant = architecture === 'arm' ? (options.armVersion ?? '7') : '';
  return normalizePlatform({ os, architecture, variant });
}

/**
 * defaultTargetPlatform is the platform to pull when the user gives none (§5.3 step 1): `linux` with
 * the host's architecture and variant — images are Linux images even on macOS and Windows hosts.
 */
export function defaultTargetPlatform(host: Platform): Platform {
  return normalizePlatform({
    os: 'linux',
    architecture: host.architecture,
    variant: host.variant ?? '',
  });
}
