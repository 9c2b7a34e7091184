import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { DomainError } from '@stevedore/domain';
import type { OciResources, ResourceLimits } from './types';

/** What runc can enforce on this host: runc uses v2 only when /sys/fs/cgroup itself is cgroup2. */
export interface CgroupCapabilities {
  mode: 'v1' | 'v2' | 'none';
  memory: boolean;
  swap: boolean;
  cpuQuota: boolean;
  cpuShares: boolean;
  pids: boolean;
}

const CGROUP2_SUPER_MAGIC = 0x63677270;

function controllersV2(root: string): Set<string> {
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return new Set(
    read(`${root}/cgroup.controllers`)
      .split(/\s+/)
      .filter((c) => c !== ''),
  );
}

/**
 * cgroupCapabilities looks at the cgroup mount runc will use (hybrid hosts, like this one, have
 * v1 controllers under /sys/fs/cgroup and cgroup2 only at /sys/fs/cgroup/unified, which runc
 * 1.1 ignores for limits) and reports which limits can be enforced. Only root may set them.
 */
export function cgroupCapabilities(root = '/sys/fs/cgroup'): CgroupCapabilities {
  const none: CgroupCapabilities = {
    mode: 'none',
    memory: false,
    swap: false,
    cpuQuota: false,
    cpuShares: false,
    pids: false,
  };
  if (process.getuid?.() !== 0 || !existsSync(root)) return none;
  if (statfsSync(root).type === CGROUP2_SUPER_MAGIC) {
    const c = controllersV2(root);
    const memory = c.has('memory');
    const swap = memory && existsSync('/proc/swaps');
    return {
      mode: 'v2',
      memory,
      swap,
      cpuQuota: c.has('cpu'),
      cpuShares: c.has('cpu'),
      pids: c.has('pids'),
    };
  }
  return {
    mode: 'v1',
    memory: existsSync(`${root}/memory/memory.limit_in_bytes`),
    swap: existsSync(`${root}/memory/memory.memsw.limit_in_bytes`),
    cpuQuota: existsSync(`${root}/cpu/cpu.cfs_quota_us`),
    cpuShares: existsSync(`${root}/cpu/cpu.shares`),
    pids: existsSync(`${root}/pids`) && existsSync(`${root}/pids/cgroup.procs`),
  };
}

function refuse(what: string, caps: CgroupCapabilities): never {
  const where =
    caps.mode === 'none' ? 'no usable cgroup hierarchy (or not root)' : `cgroup ${caps.mode}`;
  throw DomainError.unsupported(
    `${what} cannot be enforced on this host (${where}): the limit was refused, not ignored`,
  );
}

/** CPU period Docker uses for --cpus (100ms), quota = nanoCpus * period / 1e9. */
const CPU_PERIOD = 100_000;

/** limitsToResources maps Docker's limits onto spec resources, refusing what cannot be enforced. */
export function limitsToResources(
  limits: ResourceLimits,
  caps: CgroupCapabilities,
): Omit<OciResources, 'devices'> {
  const out: Omit<OciResources, 'devices'> = {};
  const { memory, memorySwap, nanoCpus, cpuShares, pidsLimit } = limits;
  if (memory) {
    if (!caps.memory) refuse('a memory limit', caps);
    out.memory = { limit: memory };
  }
  if (memorySwap !== undefined && memorySwap !== 0) {
    if (!memory)
      throw DomainError.invalidArgument(
        'You should always set the Memory limit when using Memoryswap limit, see usage.',
      );
    if (memorySwap !== -1 && memorySwap < memory) {
      throw DomainError.invalidArgument(
        'Minimum memoryswap limit should be larger than memory limit, see usage.',
      );
    }
    if (!caps.swap) refuse('a memory+swap limit', caps);
    out.memory = { limit: memory, swap: memorySwap };
  }
  if (nanoCpus) {
    if (!caps.cpuQuota) refuse('a CPU quota (--cpus)', caps);
    out.cpu = { quota: Math.round((nanoCpus * CPU_PERIOD) / 1e9), period: CPU_PERIOD };
  }
  if (cpuShares) {
    if (!caps.cpuShares) refuse('CPU shares', caps);
    out.cpu = { ...out.cpu, shares: cpuShares };
  }
  if (pidsLimit !== undefined && pidsLimit > 0) {
    if (!caps.pids) refuse('a pids limit', caps);
    out.pids = { limit: pidsLimit };
  }
  return out;
}
