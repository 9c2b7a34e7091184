import { DynamicModule, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { DaemonConfig, maxUpstreamBackoffMs } from '@stevedore/config';
import { RegistryClient } from '../client';
import { dockerConfigCredentials, loadDockerConfig } from '../credentials/docker-config';
import { hasCredentials } from '../credentials/credentials';
import {
  decodeRegistryAuthHeader,
  registryAuthCredentials,
} from '../credentials/registry-auth-header';
import type { RateLimitSignal, RegistryClientOptions } from '../options';

/**
 * registryClientOptions maps Stevedore's daemon.json-shaped config onto client options:
 * `registry-mirrors` serve Docker Hub (as in Docker), `insecure-registries` use plain HTTP,
 * `credentials-file` is a docker config.json, and a `Retry-After` beyond `max-upstream-backoff-seconds`
 * fails a request at once instead of being waited out.
 */
export async function registryClientOptions(config: DaemonConfig): Promise<RegistryClientOptions> {
  return {
    mirrors: config.registryMirrors.length > 0 ? { 'docker.io': config.registryMirrors } : {},
    insecure: config.insecureRegistries,
    userAgent: 'stevedore/0.1',
    retry: { maxRetryAfterMs: maxUpstreamBackoffMs(config) },
    ...(config.credentialsFile
      ? { credentials: dockerConfigCredentials(await loadDockerConfig(config.credentialsFile)) }
      : {}),
  };
}

/**
 * clientForRequest narrows the shared client to the Engine API's `X-Registry-Auth` credentials
 * when the request carried any, sharing connections and token caches.
 */
export function clientForRequest(
  client: RegistryClient,
  registry: string,
  registryAuth: string | undefined,
): RegistryClient {
  // `e30=` ({}) is what the CLI sends without a login: keep the configured credentials then.
  if (!registryAuth || !hasCredentials(decodeRegistryAuthHeader(registryAuth).credentials))
    return client;
  return client.withCredentials(registryAuthCredentials(registryAuth, registry));
}

/**
 * RateLimitSignals relays the shared client's rate-limit signals to whoever in the process wants
 * them (the fetcher shares them with its other replicas), each pause cut to `maxPauseMs`: a back-off
 * never outlasts the config's cap, however long the registry asked for.
 */
export class RateLimitSignals {
  private readonly listeners = new Set<(signal: RateLimitSignal) => void>();

  constructor(private readonly maxPauseMs = Infinity) {}

  subscribe(listener: (signal: RateLimitSignal) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(signal: RateLimitSignal): void {
    const capped = { ...signal, retryAfterMs: Math.min(signal.retryAfterMs, this.maxPauseMs) };
    for (const listener of this.listeners) listener(capped);
  }
}

/** UPSTREAM_CONCURRENCY is the token of the shared per-registry download limit (`max-concurrent-downloads`). */
export const UPSTREAM_CONCURRENCY = Symbol('UpstreamConcurrency');
/** UPSTREAM_REGISTRIES is the token of the registries the config names (insecure registries, mirrors): what `docker search` lists. */
export const UPSTREAM_REGISTRIES = Symbol('UpstreamRegistries');

/** UPSTREAM_SETTINGS is the token of the config's registry settings as written (what `docker info` reports). */
export const UPSTREAM_SETTINGS = Symbol('UpstreamSettings');
/** UpstreamSettings are the config's `registry-mirrors` and `insecure-registries`, unchanged. */
export interface UpstreamSettings {
  mirrors: string[];
  insecureRegistries: string[];
}

function upstreamSettings(config: DaemonConfig): UpstreamSettings {
  return {
    mirrors: [...config.registryMirrors],
    insecureRegistries: [...config.insecureRegistries],
  };
}

/** configuredRegistries lists the `host[:port]`s of the config's insecure registries and mirrors, once each. */
export function configuredRegistries(config: DaemonConfig): string[] {
  const mirrors = config.registryMirrors.map((m) => new URL(m).host);
  return [...new Set([...config.insecureRegistries, ...mirrors])];
}

/** Blob downloads per registry at once over all replicas, unless the config says otherwise. */
export const DEFAULT_UPSTREAM_CONCURRENCY = 12;

/** UpstreamModule provides one shared RegistryClient (thin Nest wrapper; the client has no Nest in it). */
@Module({})
export class UpstreamModule implements OnModuleDestroy {
  constructor(@Inject(RegistryClient) private readonly client: RegistryClient) {}

  static forRoot(
    config: DaemonConfig,
    overrides: Partial<RegistryClientOptions> = {},
  ): DynamicModule {
    return {
      module: UpstreamModule,
      global: true,
      providers: [
        { provide: RateLimitSignals, useValue: new RateLimitSignals(maxUpstreamBackoffMs(config)) },
        {
          provide: UPSTREAM_CONCURRENCY,
          useValue: config.maxConcurrentDownloads ?? DEFAULT_UPSTREAM_CONCURRENCY,
        },
        { provide: UPSTREAM_REGISTRIES, useValue: configuredRegistries(config) },
        { provide: UPSTREAM_SETTINGS, useValue: upstreamSettings(config) },
        {
          provide: RegistryClient,
          inject: [RateLimitSignals],
          useFactory: async (signals: RateLimitSignals) =>
            new RegistryClient({
              ...(await registryClientOptions(config)),
              onRateLimit: (s) => signals.publish(s),
              ...overrides,
            }),
        },
      ],
      exports: [
        RegistryClient,
        RateLimitSignals,
        UPSTREAM_CONCURRENCY,
        UPSTREAM_REGISTRIES,
        UPSTREAM_SETTINGS,
      ],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.close();
  }
}
