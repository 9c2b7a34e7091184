import { Inject, Injectable } from '@nestjs/common';
import { RegistryConfigV1 } from '@stevedore/contracts';
import { UPSTREAM_SETTINGS, UpstreamSettings } from '@stevedore/registry-client';

/**
 * RegistryConfigUseCase tells the gateway which mirrors and insecure registries the resolver
 * works with, so `docker info` shows the settings in use rather than the gateway's own copy.
 */
@Injectable()
export class RegistryConfigUseCase {
  constructor(@Inject(UPSTREAM_SETTINGS) private readonly settings: UpstreamSettings) {}

  execute(): RegistryConfigV1 {
    return {
      mirrors: [...this.settings.mirrors],
      insecureRegistries: [...this.settings.insecureRegistries],
    };
  }
}
