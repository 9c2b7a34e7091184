import type { BuildRequest } from '@stevedore/runtime-http';

/** hostConfigOf is a RUN container's HostConfig: the request's network, hosts and limits. */
export function hostConfigOf(r: BuildRequest): Record<string, unknown> {
  const mode = r.networkMode === 'default' || !r.networkMode ? 'bridge' : r.networkMode;
  return {
    NetworkMode: mode,
    ...(r.extraHosts.length ? { ExtraHosts: r.extraHosts } : {}),
    ...(r.memory ? { Memory: r.memory } : {}),
    ...(r.memorySwap ? { MemorySwap: r.memorySwap } : {}),
    ...(r.cpuShares ? { CpuShares: r.cpuShares } : {}),
    ...(r.cpuQuota ? { CpuQuota: r.cpuQuota } : {}),
    ...(r.cpuPeriod ? { CpuPeriod: r.cpuPeriod } : {}),
    ...(r.cpusetCpus ? { CpusetCpus: r.cpusetCpus } : {}),
    ...(r.shmSize ? { ShmSize: r.shmSize } : {}),
  };
}
