export const RUNTIME_INFO_V1 = 'runtime.info.get.v1' as const;

/**
 * What RUNTIME_INFO_V1 answers: what the host's runtime can do, for `/info`. Measured on the
 * runtime's host (its cgroups, sysctls, runc and network preflight), never assumed by the gateway.
 */
export interface RuntimeInfoV1 {
  /** `1` or `2` as runc will use them, `` when no limit can be set (not root, no cgroups). */
  cgroupVersion: '1' | '2' | '';
  memoryLimit: boolean;
  swapLimit: boolean;
  cpuCfsQuota: boolean;
  cpuShares: boolean;
  cpuSet: boolean;
  pidsLimit: boolean;
  ipv4Forwarding: boolean;
  bridgeNfIptables: boolean;
  bridgeNfIp6tables: boolean;
  /** `docker run --network` modes that work here: `bridge` only when its preflight passes. */
  networks: ('bridge' | 'host' | 'none')[];
  /** runc's commit as `runc --version` prints it (`` if it does not say). */
  runcCommit: string;
  /** Containers get Docker's default seccomp profile. */
  seccomp: boolean;
}
