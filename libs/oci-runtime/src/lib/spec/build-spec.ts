import { resolveCapabilities } from './capabilities';
import { cgroupCapabilities, limitsToResources, type CgroupCapabilities } from './cgroups';
import { deviceRules, MASKED_PATHS, NETNS_SYSCTLS, READONLY_PATHS } from './confinement';
import { buildEnv } from './env';
import { buildMounts } from './mounts';
import { defaultSeccomp } from './seccomp';
import type { ContainerSpecInput, NetworkMode, OciLinux, OciNamespace, OciSpec } from './types';
import { resolveUser } from './user';

export interface BuildSpecOptions {
  /** What the host's cgroups can enforce; detected with cgroupCapabilities() when absent. */
  cgroups?: CgroupCapabilities;
}

function namespaces(network: NetworkMode): OciNamespace[] {
  const out: OciNamespace[] = [{ type: 'mount' }];
  if (network.mode === 'none') out.push({ type: 'network' });
  if (network.mode === 'path') out.push({ type: 'network', path: network.path });
  out.push({ type: 'uts' }, { type: 'pid' }, { type: 'ipc' });
  return out;
}

function linux(input: ContainerSpecInput, caps: string[], cgroups: CgroupCapabilities): OciLinux {
  const privileged = input.privileged ?? false;
  const resources = limitsToResources(input.resources ?? {}, cgroups);
  return {
    namespaces: namespaces(input.network),
    resources: { devices: deviceRules(privileged), ...resources },
    cgroupsPath: `/stevedore/${input.id}`,
    maskedPaths: privileged ? [] : [...MASKED_PATHS],
    readonlyPaths: privileged ? [] : [...READONLY_PATHS],
    sysctl: input.network.mode === 'host' ? {} : { ...NETNS_SYSCTLS },
    ...(privileged ? {} : { seccomp: defaultSeccomp(caps) }),
  };
}

/**
 * buildSpec writes the OCI runtime spec (1.0.2, as runc 1.1 reads it) for a container the way
 * dockerd 20.10 does for the same options: Docker's capabilities, mounts, masked and read-only
 * paths, device rules and default seccomp profile; the user resolved inside the container root.
 * Throws INVALID_ARGUMENT for bad input (unknown user or capability, relative mount paths) and
 * UNSUPPORTED for a resource limit this host's cgroups cannot enforce. Reads nothing outside the
 * root and writes nothing.
 */
export async function buildSpec(
  input: ContainerSpecInput,
  opts: BuildSpecOptions = {},
): Promise<OciSpec> {
  const tty = input.tty ?? false;
  const caps = resolveCapabilities(input.capAdd, input.capDrop, input.privileged);
  const cgroups = input.resources
    ? (opts.cgroups ?? cgroupCapabilities())
    : (opts.cgroups ?? noLimits);
  const linuxPart = linux(input, caps, cgroups);
  const mounts = buildMounts(input);
  const { uid, gid, additionalGids } = await resolveUser(input.rootfs, input.user);
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: tty,
      user: { uid, gid, additionalGids },
      args: [...input.args],
      env: buildEnv(input.env ?? [], { hostname: input.hostname, tty }),
      cwd: input.cwd || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: false,
      oomScoreAdj: 0,
    },
    root: { path: input.rootfs, readonly: input.readonlyRootfs ?? false },
    hostname: input.hostname,
    mounts,
    annotations: { ...(input.labels ?? {}) },
    linux: linuxPart,
  };
}

const noLimits: CgroupCapabilities = {
  mode: 'none',
  memory: false,
  swap: false,
  cpuQuota: false,
  cpuShares: false,
  pids: false,
};
