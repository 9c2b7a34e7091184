import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { LoopbackAccess, REGISTRY_ACCESS, RegistryAccess } from './registry-access';
import { NotFoundMiss, REGISTRY_MISS, RegistryMiss } from './registry-miss';
import { DiscoveryHandlers } from './discovery.handlers';
import { ReferrersHandler } from './referrers.handler';
import { ManageHandlers } from './manage.handlers';
import { PullHandlers } from './pull.handlers';
import { PushHandlers } from './push.handlers';
import { PutManifestUseCase } from './put-manifest.use-case';
import { RemoveImagesUseCase } from '../use-cases/remove-images/remove-images.use-case';
import { RuntimeUsage } from '../use-cases/runtime-usage/runtime-usage';
import { RegistryImages } from './registry-images';
import { RepositoryBlobs } from './repository-blobs';
import { RegistryEvents } from './registry-events';
import { UntagUseCase } from './untag.use-case';
import { RegistryServer } from './registry-server';
import { ServeContentUseCase } from './serve-content.use-case';

/** RegistryHooks are the seams of `/v2/`: who may do what, and what to do about content the store lacks. */
export interface RegistryHooks {
  /** Default: {@link LoopbackAccess} (anonymous on loopback, everything else refused). */
  access?: RegistryAccess;
  /** Default: {@link NotFoundMiss} (MANIFEST_UNKNOWN / BLOB_UNKNOWN); a class is built by Nest. */
  miss?: RegistryMiss | Type<RegistryMiss>;
  /** What the hooks need besides (their settings, the token endpoint). */
  providers?: Provider[];
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
      typeof hooks.miss === 'function'
        ? { provide: REGISTRY_MISS, useClass: hooks.miss }
        : { provide: REGISTRY_MISS, useValue: hooks.miss ?? new NotFoundMiss() },
      ...(hooks.providers ?? []),
      RegistryImages,
      RepositoryBlobs,
      RegistryEvents,
      UntagUseCase,
      ServeContentUseCase,
      PullHandlers,
      DiscoveryHandlers,
      ReferrersHandler,
      PushHandlers,
      ManageHandlers,
      PutManifestUseCase,
      RemoveImagesUseCase,
      RuntimeUsage,
      RegistryServer,
    ];
    return { module: RegistryModule, providers, exports: [RegistryServer] };
  }
}
