import type { NetworkRecord, PublishedPort } from '../store/container-record';

/** ProcessState is runc's view of a container's init process. */
export interface ProcessState {
  status: 'created' | 'running' | 'stopped' | 'paused';
  pid: number;
}

/**
 * TaskSpec is what the process driver needs to create a container's task (conmon + runc): where
 * things are, and the settings its OCI runtime spec is built from.
 */
export interface TaskSpec {
  id: string;
  /** The bundle directory, where the driver writes `config.json` (the OCI spec). */
  bundle: string;
  logPath: string;
  tty: boolean;
  openStdin: boolean;
  stdinOnce: boolean;
  rootfs: string;
  readonlyRootfs: boolean;
  args: string[];
  env: string[];
  cwd: string;
  user: string;
  hostname: string;
  mounts: { source: string; destination: string; readonly: boolean }[];
  files: { hosts: string; hostname: string; resolvConf: string };
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  resources: {
    memory?: number;
    memorySwap?: number;
    nanoCpus?: number;
    cpuShares?: number;
    pidsLimit?: number;
  };
  network: { mode: 'none' } | { mode: 'host' } | { mode: 'path'; path: string };
  labels: Record<string, string>;
}

/**
 * PROCESSES is the token of the runtime's {@link Processes}: containers' init processes under
 * conmon and runc (`@stevedore/oci-runtime` in production).
 */
export const PROCESSES = Symbol('Processes');

export interface Processes {
  /** createTask starts conmon, which runs `runc create`: the task exists, its process waits. */
  createTask(spec: TaskSpec): Promise<{ pid: number }>;
  startTask(id: string): Promise<void>;
  state(id: string): Promise<ProcessState | undefined>;
  kill(id: string, signal: string): Promise<void>;
  /** deleteTask removes runc's state of a stopped (or, forced, any) task. */
  deleteTask(id: string, force: boolean): Promise<void>;
  /** waitExit resolves with the task's exit code, also for a task an earlier process started. */
  waitExit(id: string): Promise<number>;
}

/** NETWORKS is the token of the runtime's {@link Networks} (`@stevedore/container-network`). */
export const NETWORKS = Symbol('Networks');

export interface Networks {
  attach(
    id: string,
    options: { mode: 'bridge' | 'host' | 'none'; ports: PublishedPort[]; name: string },
  ): Promise<NetworkRecord>;
  detach(id: string): Promise<void>;
  /** modes lists the network modes that work on this host (bridge only when its preflight passes). */
  modes(): Promise<('bridge' | 'host' | 'none')[]>;
  /** writeHostsFiles writes `hosts`, `hostname` and `resolv.conf` under `dir` and names them. */
  writeHostsFiles(
    dir: string,
    options: { hostname: string; domainname: string; network: NetworkRecord; extraHosts: string[] },
  ): Promise<{ hosts: string; hostname: string; resolvConf: string }>;
}
