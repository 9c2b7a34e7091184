import { arch, platform, release } from 'node:os';

// Node's names → Go's GOARCH, which is what Docker clients expect in `Arch`.
const GO_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

/** hostOs returns the host's operating system as Go's GOOS names it (`linux`, `windows`, `darwin`). */
export function hostOs(): string {
  return platform() === 'win32' ? 'windows' : platform();
}

/** hostArch returns the host's CPU architecture as Go's GOARCH names it (`amd64`, `arm64`, …). */
export function hostArch(): string {
  return GO_ARCH[arch()] ?? arch();
}

/** hostKernelVersion returns the running kernel's release string, as `uname -r` prints it. */
export function hostKernelVersion(): string {
  return release();
}
