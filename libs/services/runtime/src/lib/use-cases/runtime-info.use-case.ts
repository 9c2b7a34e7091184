import { Inject, Injectable } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { RuntimeInfoV1 } from '@stevedore/contracts';
import { cgroupCapabilities } from '@stevedore/oci-runtime';
import { NETWORKS, type Networks } from '../lifecycle/runtime-ports';

/** sysctl reads a 0/1 switch under /proc/sys; absent (no module loaded) is off. */
function sysctl(path: string): boolean {
  try {
    return readFileSync(`/proc/sys/${path}`, 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

/** runcCommit is the `commit:` line of `runc --version`, as dockerd shows it in RuncCommit. */
function runcCommit(): Promise<string> {
  return new Promise((resolve) =>
    execFile('runc', ['--version'], { timeout: 5_000 }, (err, stdout) =>
      resolve(err ? '' : (/^commit: (\S+)/m.exec(stdout)?.[1] ?? '')),
    ),
  );
}

/**
 * RuntimeInfoUseCase says what this host's runtime can do, for `docker info`: the limits its
 * cgroups allow (what create refuses otherwise), the network modes that pass their preflight,
 * runc's commit and the bridge sysctls, all measured here.
 */
@Injectable()
export class RuntimeInfoUseCase {
  private commit: Promise<string> | undefined;

  constructor(@Inject(NETWORKS) private readonly networks: Networks) {}

  async execute(): Promise<RuntimeInfoV1> {
    this.commit ??= runcCommit();
    const cgroups = cgroupCapabilities();
    const [networks, commit] = await Promise.all([this.networks.modes(), this.commit]);
    return {
      cgroupVersion: cgroups.mode === 'none' ? '' : cgroups.mode === 'v2' ? '2' : '1',
      memoryLimit: cgroups.memory,
      swapLimit: cgroups.swap,
      cpuCfsQuota: cgroups.cpuQuota,
      cpuShares: cgroups.cpuShares,
      cpuSet: cgroups.mode !== 'none' && cpusetMounted(cgroups.mode),
      pidsLimit: cgroups.pids,
      ipv4Forwarding: sysctl('net/ipv4/ip_forward'),
      bridgeNfIptables: sysctl('net/bridge/bridge-nf-call-iptables'),
      bridgeNfIp6tables: sysctl('net/bridge/bridge-nf-call-ip6tables'),
      networks,
      runcCommit: commit,
      seccomp: true,
    };
  }
}

function cpusetMounted(mode: 'v1' | 'v2'): boolean {
  if (mode === 'v1') return existsSync('/sys/fs/cgroup/cpuset/cpuset.cpus');
  try {
    return readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8')
      .split(/\s+/)
      .includes('cpuset');
  } catch {
    return false;
  }
}
