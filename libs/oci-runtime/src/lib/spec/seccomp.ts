import { release } from 'node:os';
import { BASE_SYSCALLS } from './seccomp-syscalls';
import type { OciSeccomp, OciSeccompArg, OciSeccompRule } from './types';

/** A rule of moby's profile, with its conditions on capabilities, architecture and kernel. */
interface ProfileRule {
  names: string[];
  action?: 'SCMP_ACT_ALLOW' | 'SCMP_ACT_ERRNO';
  errnoRet?: number;
  args?: OciSeccompArg[];
  includes?: { caps?: string[]; arches?: string[]; minKernel?: [number, number] };
  excludes?: { caps?: string[]; arches?: string[] };
}

const eq = (value: number): OciSeccompArg[] => [{ index: 0, value, op: 'SCMP_CMP_EQ' }];
/** CLONE_NEWNS|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWCGROUP: clone may not make namespaces. */
const CLONE_NS_MASK = 2114060288;
const cap = (...caps: string[]) => ({ caps });
const arch = (...arches: string[]) => ({ arches });

/** The conditional rules of moby's profiles/seccomp/default.json, in the profile's order. */
const RULES: ProfileRule[] = [
  { names: [...BASE_SYSCALLS] },
  { names: ['process_vm_readv', 'process_vm_writev', 'ptrace'], includes: { minKernel: [4, 8] } },
  { names: ['socket'], args: [{ index: 0, value: 40, op: 'SCMP_CMP_NE' }] },
  ...[0, 8, 131072, 131080, 4294967295].map((v) => ({ names: ['personality'], args: eq(v) })),
  { names: ['sync_file_range2', 'swapcontext'], includes: arch('ppc64le') },
  {
    names: ['arm_fadvise64_64', 'arm_sync_file_range', 'sync_file_range2', 'breakpoint'],
    includes: arch('arm', 'arm64'),
  },
  { names: ['cacheflush', 'set_tls'], includes: arch('arm', 'arm64') },
  { names: ['arch_prctl'], includes: arch('amd64', 'x32') },
  { names: ['modify_ldt'], includes: arch('amd64', 'x32', 'x86') },
  {
    names: ['s390_pci_mmio_read', 's390_pci_mmio_write', 's390_runtime_instr'],
    includes: arch('s390', 's390x'),
  },
  { names: ['riscv_flush_icache'], includes: arch('riscv64') },
  { names: ['open_by_handle_at'], includes: cap('CAP_DAC_READ_SEARCH') },
  {
    names: [
      ...['bpf', 'clone', 'clone3', 'fanotify_init', 'fsconfig', 'fsmount', 'fsopen', 'fspick'],
      ...['lookup_dcookie', 'mount', 'mount_setattr', 'move_mount', 'open_tree'],
      ...['perf_event_open', 'quotactl', 'quotactl_fd', 'setdomainname', 'sethostname'],
      ...['setns', 'syslog', 'umount', 'umount2', 'unshare'],
    ],
    includes: cap('CAP_SYS_ADMIN'),
  },
  {
    names: ['clone'],
    args: [{ index: 0, value: CLONE_NS_MASK, op: 'SCMP_CMP_MASKED_EQ' }],
    excludes: { caps: ['CAP_SYS_ADMIN'], arches: ['s390', 's390x'] },
  },
  {
    names: ['clone'],
    args: [{ index: 1, value: CLONE_NS_MASK, op: 'SCMP_CMP_MASKED_EQ' }],
    includes: arch('s390', 's390x'),
    excludes: { caps: ['CAP_SYS_ADMIN'] },
  },
  // ENOSYS, so glibc falls back to clone(2), which the rule above can inspect.
  { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38, excludes: cap('CAP_SYS_ADMIN') },
  { names: ['reboot'], includes: cap('CAP_SYS_BOOT') },
  { names: ['chroot'], includes: cap('CAP_SYS_CHROOT') },
  { names: ['delete_module', 'init_module', 'finit_module'], includes: cap('CAP_SYS_MODULE') },
  { names: ['acct'], includes: cap('CAP_SYS_PACCT') },
  {
    names: ['kcmp', 'pidfd_getfd', 'process_madvise', 'process_vm_readv', 'process_vm_writev'],
    includes: cap('CAP_SYS_PTRACE'),
  },
  { names: ['ptrace'], includes: cap('CAP_SYS_PTRACE') },
  { names: ['iopl', 'ioperm'], includes: cap('CAP_SYS_RAWIO') },
  {
    names: ['settimeofday', 'stime', 'clock_settime', 'clock_settime64'],
    includes: cap('CAP_SYS_TIME'),
  },
  { names: ['vhangup'], includes: cap('CAP_SYS_TTY_CONFIG') },
  {
    names: ['get_mempolicy', 'mbind', 'set_mempolicy', 'set_mempolicy_home_node'],
    includes: cap('CAP_SYS_NICE'),
  },
  { names: ['syslog'], includes: cap('CAP_SYSLOG') },
  { names: ['bpf'], includes: cap('CAP_BPF') },
  { names: ['perf_event_open'], includes: cap('CAP_PERFMON') },
];

/** moby's archMap: the native architecture and the ones its kernel also runs. */
const ARCHITECTURES: Record<string, { name: string; scmp: string[] }> = {
  x64: { name: 'amd64', scmp: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
  arm64: { name: 'arm64', scmp: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'] },
  s390x: { name: 's390x', scmp: ['SCMP_ARCH_S390X', 'SCMP_ARCH_S390'] },
  riscv64: { name: 'riscv64', scmp: ['SCMP_ARCH_RISCV64'] },
};

function kernelAtLeast(min: [number, number], kernel: string): boolean {
  const [major = 0, minor = 0] = kernel.split('.').map((p) => parseInt(p, 10));
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

function applies(rule: ProfileRule, caps: readonly string[], archName: string, kernel: string) {
  const inc = rule.includes ?? {};
  const exc = rule.excludes ?? {};
  if (inc.caps && !inc.caps.every((c) => caps.includes(c))) return false;
  if (inc.arches && !inc.arches.includes(archName)) return false;
  if (inc.minKernel && !kernelAtLeast(inc.minKernel, kernel)) return false;
  if (exc.caps && exc.caps.some((c) => caps.includes(c))) return false;
  return !(exc.arches && exc.arches.includes(archName));
}

/**
 * defaultSeccomp renders Docker's default profile for a container with these capabilities, as
 * moby's seccomp.setupSeccomp does: unmatched syscalls fail with EPERM, conditional rules are
 * kept only when their capability/architecture/kernel conditions hold.
 */
export function defaultSeccomp(
  caps: readonly string[],
  nodeArch: string = process.arch,
  kernel: string = release(),
): OciSeccomp {
  const arch = ARCHITECTURES[nodeArch] ?? { name: nodeArch, scmp: [] };
  const syscalls: OciSeccompRule[] = RULES.filter((r) => applies(r, caps, arch.name, kernel)).map(
    (r) => ({
      names: r.names,
      action: r.action ?? 'SCMP_ACT_ALLOW',
      ...(r.errnoRet !== undefined ? { errnoRet: r.errnoRet } : {}),
      ...(r.args ? { args: r.args } : {}),
    }),
  );
  return {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: 1,
    architectures: arch.scmp,
    syscalls,
  };
}
