import { DynamicModule, Module, Provider } from '@nestjs/common';
import { LoopbackAccess, REGISTRY_ACCESS, RegistryAccess } from './registry-access';
import { NotFoundMiss, REGISTRY_MISS, RegistryMiss } from './registry-miss';
import { PullHandlers } from './pull.handlers';
import { RegistryImages } from './registry-images';
import { RegistryServer } from './registry-server';
import { ServeContentUseCase } from './serve-content.use-case';

/** RegistryHooks are the seams of `/v2/`: who may do what, and what to do about content the store lacks. */
export interface RegistryHooks {
  /** Default: {@link LoopbackAccess} (anonymous on loopback, everything else refused). */
  access?: RegistryAccess;
  /** Default: {@link NotFoundMiss} (MANIFEST_UNKNOWN / BLOB_UNKNOWN). */
  miss?: RegistryMiss;
}

/**
 * RegistryModule is the OCI distribution API. It needs the Bus (metadata's records) and the
 * BLOB_STORE port (the bytes: the store itself in embedded mode, the blobstore's internal
 * endpoint in a cluster); the composition root starts its listener with `serveRegistry`.
 */
@Module({})
export class RegistryModule {
  static forRoot(hooks: RegistryHooks = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: REGISTRY_ACCESS, useValue: hooks.access ?? new LoopbackAccess() },
      { provide: REGISTRY_MISS, useValue: hooks.miss ?? new NotFoundMiss() },
      RegistryImages,
      ServeContentUseCase,
      PullHandlers,
      RegistryServer,
    ];
    return { module: RegistryModule, providers, exports: [RegistryServer] };
  }
}
