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
import { SystemInfo, hostInfo } from './host-info';
import { registryConfigOf } from './registry-config';

export type { SystemInfo } from './host-info';

/**
 * InfoUseCase answers `GET /info` with dockerd 20.10's key set: the image count from metadata, the
 * engine id and data root from metadata (which keeps them under its data root), the registry
 * settings from the resolver (which works with them), and the rest from this host.
 */
@Injectable()
export class InfoUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(): Promise<SystemInfo> {
    const [{ images }, identity, registry] = await Promise.all([
      this.bus.send<ImageListV1>(LIST_IMAGES_V1, {}),
      this.bus.send<EngineIdentityV1>(ENGINE_IDENTITY_V1, {}),
      this.bus.send<RegistryConfigV1>(REGISTRY_CONFIG_V1, {}),
    ]);
    return {
      ...hostInfo(),
      ID: identity.id,
      DockerRootDir: identity.dataRoot,
      Images: images.length,
      RegistryConfig: registryConfigOf(registry),
    };
  }
}
