import { readFileSync } from 'node:fs';
import { DomainError } from '@stevedore/domain';

/** Docker's default capability set (moby oci/caps/defaults.go), in Docker's order. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Every capability runc 1.1 knows (Linux 5.9+ names included), so `ALL` and validation agree. */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

let grantable: readonly string[] | undefined;

/**
 * grantableCapabilities is every capability this process can pass on: the ones in its own bounding
 * set (`CapBnd` in /proc/self/status, bit i = ALL_CAPABILITIES[i]). A container can never get more
 * than its runtime has — runc fails with `unable to apply caps` otherwise — so `--privileged` and
 * `--cap-add ALL` mean all of these, as dockerd's "all capabilities the host supports".
 */
export function grantableCapabilities(): readonly string[] {
  if (grantable) return grantable;
  let mask = (1n << BigInt(ALL_CAPABILITIES.length)) - 1n;
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    if (hex) mask = BigInt(`0x${hex}`);
  } catch {
    // Not Linux: keep the whole list (runc will not run here anyway).
  }
  grantable = ALL_CAPABILITIES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
  return grantable;
}

/** normalize turns `net_admin`, `NET_ADMIN` or `CAP_NET_ADMIN` into `CAP_NET_ADMIN`; `ALL` stays. */
function normalize(name: string, field: 'CapAdd' | 'CapDrop'): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return upper;
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!ALL_CAPABILITIES.includes(full)) {
    // Docker's words: `invalid CapAdd: unknown capability: "CAP_FOO"`.
    throw DomainError.invalidArgument(`invalid ${field}: unknown capability: "${full}"`);
  }
  return full;
}

/**
 * resolveCapabilities applies `--cap-add`/`--cap-drop` to Docker's default set the way moby's
 * caps.TweakCapabilities does: `ALL` in add grants every capability, `ALL` in drop starts from
 * nothing but what add names; privileged containers get everything.
 */
export function resolveCapabilities(
  capAdd: readonly string[] = [],
  capDrop: readonly string[] = [],
  privileged = false,
): string[] {
  const add = capAdd.map((c) => normalize(c, 'CapAdd'));
  const drop = capDrop.map((c) => normalize(c, 'CapDrop'));
  if (privileged) return [...grantableCapabilities()];
  if (add.includes('ALL')) {
    return grantableCapabilities().filter((c) => !drop.includes(c));
  }
  const base = drop.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c));
  const extra = add.filter((c) => !base.includes(c));
  return [...base, ...extra];
}
