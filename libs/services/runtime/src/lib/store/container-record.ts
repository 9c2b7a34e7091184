import type { ContainerStateV1 } from '@stevedore/contracts';

/** DockerConfig is the Engine API's container `Config`, as merged from the image and the request. */
export interface DockerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, object>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  /** null when neither the image nor the request sets any (dockerd's nil). */
  Env: string[] | null;
  Cmd: string[] | null;
  Image: string;
  Volumes: Record<string, object> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  OnBuild: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  Healthcheck?: Record<string, unknown>;
}

/** PublishedPort is one `-p`: the container's port and where the host listens for it. */
export interface PublishedPort {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
}

/** MountRecord is one `-v`/`--mount` as it is bound into the container. */
export interface MountRecord {
  type: 'bind' | 'volume';
  /** The volume's name (volumes only). */
  name?: string;
  source: string;
  destination: string;
  readonly: boolean;
  /** An anonymous volume, removed with `docker rm -v`. */
  anonymous?: boolean;
}

/** NetworkRecord is the container's network attachment, as inspect shows it. */
export interface NetworkRecord {
  mode: string;
  netnsPath?: string;
  ipAddress?: string;
  ipPrefixLen?: number;
  gateway?: string;
  macAddress?: string;
  ports: PublishedPort[];
}

/**
 * ContainerRecord is what the runtime keeps of a container in `containers/<id>/container.json`:
 * enough to list, inspect, restart and remove it after any restart of Stevedore. `state` is the
 * last state the runtime saw; a running container's is reconciled with runc when read.
 */
export interface ContainerRecord {
  id: string;
  /** Without the leading `/`. */
  name: string;
  created: string;
  imageId: string;
  config: DockerConfig;
  /** The Engine API's HostConfig as given (defaults filled), shown by inspect. */
  hostConfig: Record<string, unknown>;
  path: string;
  args: string[];
  state: ContainerStateV1;
  restartCount: number;
  /** How the root was made: `overlay` or `copy`; the image's diff IDs bottom-first. */
  rootfsMode: 'overlay' | 'copy';
  diffIds: string[];
  mounts: MountRecord[];
  ports: PublishedPort[];
  network?: NetworkRecord;
  /** Set once the runtime has created the runc container (the bundle exists). */
  hasTask: boolean;
}
