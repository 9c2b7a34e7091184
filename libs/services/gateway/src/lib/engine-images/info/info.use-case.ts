import { Injectable } from '@nestjs/common';
import {
  ENGINE_IDENTITY_V1,
  EngineIdentityV1,
  ImageListV1,
  LIST_IMAGES_V1,
  REGISTRY_CONFIG_V1,
  RegistryConfigV1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import type { ContainerJsonV1 } from '@stevedore/contracts';
import { RuntimeUsage } from '../../use-cases/runtime-usage/runtime-usage';
import { SystemInfo, hostInfo, runtimeKeys } from './host-info';
import { registryConfigOf } from './registry-config';

export type { SystemInfo } from './host-info';

/**
 * InfoUseCase answers `GET /info` with dockerd 20.10's key set: the image count from metadata, the
 * engine id and data root from metadata (which keeps them under its data root), the registry
 * settings from the resolver (which works with them), the container counts and capabilities from
 * the runtime (none when it is unreachable), and the rest from this host.
 */
@Injectable()
export class InfoUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly runtime: RuntimeUsage,
  ) {}

  async execute(): Promise<SystemInfo> {
    const [{ images }, identity, registry, containers, runtime] = await Promise.all([
      this.bus.send<ImageListV1>(LIST_IMAGES_V1, {}),
      this.bus.send<EngineIdentityV1>(ENGINE_IDENTITY_V1, {}),
      this.bus.send<RegistryConfigV1>(REGISTRY_CONFIG_V1, {}),
      this.runtime.containers(),
      this.runtime.info(),
    ]);
    return {
      ...hostInfo(),
      ...runtimeKeys(runtime),
      ...containerCounts(containers),
      ID: identity.id,
      DockerRootDir: identity.dataRoot,
      Images: images.length,
      RegistryConfig: registryConfigOf(registry),
    };
  }
}

/** containerCounts is `/info`'s counts by state, as dockerd's: paused apart, stopped is the rest. */
export function containerCounts(containers: readonly ContainerJsonV1[]) {
  const count = (status: string) => containers.filter((c) => c.State.Status === status).length;
  const running = count('running');
  const paused = count('paused');
  return {
    Containers: containers.length,
    ContainersRunning: running,
    ContainersPaused: paused,
    ContainersStopped: containers.length - running - paused,
  };
}
