/**
 * ContainerStateV1 is Docker's `State` of a container inspect (API 1.41+ keys). `Status` is one
 * of created, running, paused, restarting, removing, exited, dead.
 */
export interface ContainerStateV1 {
  Status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

/** One published port as `docker ps` and `NetworkSettings.Ports` show it. */
export interface PortBindingV1 {
  HostIp: string;
  HostPort: string;
}

/**
 * ContainerJsonV1 is `GET /containers/{id}/json` as the runtime answers it (dockerd's keys for
 * the newest API it serves); the gateway shapes it per API version and derives `docker ps`
 * rows from it. `Config` and `HostConfig` are Docker's objects, kept as the client gave them
 * plus the image's defaults.
 */
export interface ContainerJsonV1 {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerStateV1;
  /** The image ID (`sha256:…`). */
  Image: string;
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  LogPath: string;
  /** With its leading `/`, as dockerd. */
  Name: string;
  RestartCount: number;
  Driver: string;
  Platform: string;
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  ExecIDs: string[] | null;
  HostConfig: Record<string, unknown>;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  SizeRw?: number;
  SizeRootFs?: number;
  Mounts: Record<string, unknown>[];
  Config: Record<string, unknown>;
  NetworkSettings: Record<string, unknown>;
}

/** ExecJsonV1 is `GET /exec/{id}/json`. */
export interface ExecJsonV1 {
  ID: string;
  Running: boolean;
  ExitCode: number | null;
  ProcessConfig: {
    tty: boolean;
    entrypoint: string;
    arguments: string[];
    privileged: boolean;
    user?: string;
  };
  OpenStdin: boolean;
  OpenStderr: boolean;
  OpenStdout: boolean;
  CanRemove: boolean;
  ContainerID: string;
  DetachKeys: string;
  Pid: number;
}
