import type { DynamicModule } from '@nestjs/common';
import type { DaemonConfig } from '@stevedore/config';
import { createRegistryAccess } from '@stevedore/registry-access';
import { RegistryHooks, RegistryModule } from '../registry/registry.module';
import { PullThroughMiss, REGISTRY_PROXY_CONFIG } from '../registry-proxy/pull-through.miss';
import { AccessHook } from './access-hook';
import { REGISTRY_TOKEN_ENDPOINT } from './token-route';

/**
 * registryHooks builds the registry's seams from STEVEDORE_CONFIG: access from `registry-auth`
 * (reading the htpasswd file and the signing key now, so a bad one stops the start), and the
 * pull-through cache when `registry-proxy` is set.
 */
export async function registryHooks(daemon: DaemonConfig): Promise<RegistryHooks> {
  const { controller, tokenEndpoint } = await createRegistryAccess(daemon.registryAuth);
  const proxy = daemon.registryProxy;
  return {
    access: new AccessHook(controller, daemon.registryAuth !== undefined),
    ...(proxy ? { miss: PullThroughMiss } : {}),
    providers: [
      ...(tokenEndpoint ? [{ provide: REGISTRY_TOKEN_ENDPOINT, useValue: tokenEndpoint }] : []),
      ...(proxy ? [{ provide: REGISTRY_PROXY_CONFIG, useValue: proxy }] : []),
    ],
  };
}

/** registryModule is the RegistryModule with the seams STEVEDORE_CONFIG asks for (an async import). */
export async function registryModule(daemon: DaemonConfig): Promise<DynamicModule> {
  return RegistryModule.forRoot(await registryHooks(daemon));
}
