/**
 * The subset of the OCI runtime spec (1.0.2, as runc 1.1 reads it) that Stevedore writes.
 * Field names are the spec's own, so the object serialises straight to `config.json`.
 */
export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: OciMount[];
  annotations: Record<string, string>;
  linux: OciLinux;
}

export interface OciUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

export interface OciProcess {
  terminal: boolean;
  user: OciUser;
  args: string[];
  env: string[];
  cwd: string;
  capabilities: OciCapabilities;
  noNewPrivileges: boolean;
  oomScoreAdj: number;
  consoleSize?: { height: number; width: number };
}

export interface OciCapabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable?: string[];
}

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface OciNamespace {
  type: 'pid' | 'ipc' | 'uts' | 'mount' | 'network' | 'user' | 'cgroup';
  path?: string;
}

export interface OciDeviceRule {
  allow: boolean;
  type?: 'a' | 'b' | 'c';
  major?: number;
  minor?: number;
  access: string;
}

export interface OciResources {
  devices: OciDeviceRule[];
  memory?: { limit?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number };
  pids?: { limit: number };
}

export interface OciSeccompArg {
  index: number;
  value: number;
  op: string;
}

export interface OciSeccompRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: OciSeccompArg[];
}

export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet: number;
  architectures: string[];
  syscalls: OciSeccompRule[];
}

export interface OciLinux {
  namespaces: OciNamespace[];
  resources: OciResources;
  cgroupsPath: string;
  maskedPaths: string[];
  readonlyPaths: string[];
  sysctl: Record<string, string>;
  seccomp?: OciSeccomp;
}

/** A `-v`/`--mount` bind as the service resolved it: both paths absolute. */
export interface BindMount {
  source: string;
  destination: string;
  readonly: boolean;
  /** Docker's bind propagation; `rprivate` when absent, as Docker. */
  propagation?: 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';
}

/** Where the container's network namespace comes from. */
export type NetworkMode = { mode: 'none' } | { mode: 'host' } | { mode: 'path'; path: string };

/** Limits as Docker's HostConfig spells them (bytes, nano-CPUs, a relative weight, a count). */
export interface ResourceLimits {
  memory?: number;
  memorySwap?: number;
  nanoCpus?: number;
  cpuShares?: number;
  pidsLimit?: number;
}

/** Everything buildSpec needs; the service resolves image config + create options into this. */
export interface ContainerSpecInput {
  id: string;
  /** Absolute path of the container's (already merged) root filesystem. */
  rootfs: string;
  readonlyRootfs?: boolean;
  /** Entrypoint + Cmd, already resolved. */
  args: string[];
  /** Image Env followed by create Env (later entries win). */
  env?: string[];
  cwd?: string;
  /** Docker's `User`: `name`, `uid`, `name:group`, `uid:gid`. */
  user?: string;
  tty?: boolean;
  openStdin?: boolean;
  hostname: string;
  mounts?: BindMount[];
  /** Host files bound over /etc/hosts, /etc/hostname, /etc/resolv.conf. */
  etcFiles?: { hosts?: string; hostname?: string; resolvConf?: string };
  labels?: Record<string, string>;
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  network: NetworkMode;
  resources?: ResourceLimits;
}
