import { Injectable } from '@nestjs/common';
import { cpus, hostname, totalmem } from 'node:os';
import { ImageListV1, LIST_IMAGES_V1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { BUILD_INFO } from '../../build-info';
import { hostArch, hostKernelVersion, hostOs } from '../../system/host-platform';

/** SystemInfo is the part of Docker's `GET /info` answer the gateway fills in. */
export type SystemInfo = Record<string, unknown>;

/**
 * InfoUseCase answers `GET /info` with a minimal SystemInfo: no containers, the image count from
 * metadata, and `Swarm.LocalNodeState: "inactive"`, which type-less `docker inspect` checks.
 */
@Injectable()
export class InfoUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(): Promise<SystemInfo> {
    const { images } = await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    return { ...hostInfo(), Images: images.length };
  }
}

/** Swarm is off: `docker inspect` without a type reads LocalNodeState to skip swarm objects. */
const SWARM_INACTIVE = {
  LocalNodeState: 'inactive',
  NodeID: '',
  NodeAddr: '',
  ControlAvailable: false,
  Error: '',
  RemoteManagers: null,
};

/** hostInfo is what `docker info` shows that does not depend on the store. */
function hostInfo(): SystemInfo {
  return {
    ID: '',
    Containers: 0,
    ContainersRunning: 0,
    ContainersPaused: 0,
    ContainersStopped: 0,
    Driver: 'stevedore',
    DriverStatus: [],
    Plugins: { Volume: [], Network: [], Log: [] },
    MemoryLimit: false,
    SwapLimit: false,
    KernelVersion: hostKernelVersion(),
    OperatingSystem: 'Stevedore',
    OSType: hostOs(),
    Architecture: hostArch(),
    NCPU: cpus().length,
    MemTotal: totalmem(),
    Name: hostname(),
    ServerVersion: BUILD_INFO.version,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      IndexConfigs: {},
      InsecureRegistryCIDRs: [],
      Mirrors: [],
    },
    Swarm: SWARM_INACTIVE,
    DockerRootDir: '',
    LoggingDriver: '',
    CgroupDriver: '',
    CgroupVersion: '',
    SecurityOptions: [],
    Warnings: [],
  };
}
