import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import {
  ENGINE_EVENTS,
  type CatalogMatchesV1,
  type EngineEventV1,
  type SearchCatalogsV1,
} from '@stevedore/contracts';
import { parseReference } from '@stevedore/domain';
import { Broadcasts } from '@stevedore/messaging';
import {
  RegistryClient,
  UPSTREAM_REGISTRIES,
  UPSTREAM_SETTINGS,
  UpstreamSettings,
  clientForRequest,
} from '@stevedore/registry-client';

/** Docker Hub's registry name: what a `registry-mirrors` entry holds a copy of. */
const DOCKER_HUB = 'docker.io';

/**
 * How long a registry's catalog is reused: searches come in bursts, catalogs change slowly. A push
 * through any gateway (its `push` event) drops the cached catalog of the registry pushed to, so a
 * `docker search` right after a `docker push` finds the new repository.
 */
const CACHE_MS = 30_000;
/** Repositories read from one catalog at most (a public registry's catalog can be huge). */
const MAX_REPOSITORIES = 10_000;

/**
 * SearchCatalogsUseCase answers `docker search` from registries' `_catalog` listings: the one the
 * term names, or every configured registry. A registry that cannot be listed is skipped (logged),
 * so one unreachable mirror does not fail the search. A `registry-mirrors` entry holds Docker Hub's
 * repositories, so its names are Docker Hub's (`docker.io/library/busybox`, which the gateway shows
 * as `busybox`), and a term naming Docker Hub searches the mirrors, never Docker Hub itself.
 */
@Injectable()
export class SearchCatalogsUseCase implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SearchCatalogsUseCase.name);
  private readonly cache = new Map<string, { at: number; repositories: Promise<string[]> }>();

  private readonly mirrors: Set<string>;
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly registry: RegistryClient,
    @Inject(UPSTREAM_REGISTRIES) private readonly registries: string[],
    @Inject(UPSTREAM_SETTINGS) settings: UpstreamSettings,
    @Optional() private readonly broadcasts?: Broadcasts,
  ) {
    this.mirrors = new Set(settings.mirrors.map((m) => new URL(m).host));
  }

  onModuleInit(): void {
    // Nest may run this hook more than once for one instance: listen once.
    this.stopListening ??= this.broadcasts?.listen(ENGINE_EVENTS, (payload) =>
      this.pushed(payload as Partial<EngineEventV1>),
    );
  }

  onApplicationShutdown(): void {
    this.stopListening?.();
  }

  /** pushed drops the cached catalogs of the registry an image `push` event names. */
  pushed(event: Partial<EngineEventV1>): void {
    if (event.Type !== 'image' || event.Action !== 'push' || !event.Actor?.ID) return;
    let registry: string;
    try {
      registry = parseReference(event.Actor.ID).domain;
    } catch {
      return;
    }
    for (const key of this.cache.keys()) if (key.startsWith(`${registry}|`)) this.cache.delete(key);
  }

  async execute(request: SearchCatalogsV1): Promise<CatalogMatchesV1> {
    const term = request.term.toLowerCase();
    const targets = !request.registry
      ? this.registries
      : request.registry === DOCKER_HUB
        ? [...this.mirrors]
        : [request.registry];
    const found = await Promise.all(
      targets.map(async (registry) => {
        const named = this.mirrors.has(registry) ? DOCKER_HUB : registry;
        const names = await this.catalog(registry, request.registryAuth).catch((err: unknown) => {
          this.logger.warn({
            msg: 'catalog listing failed',
            registry,
            error: err instanceof Error ? err.message : String(err),
          });
          return [] as string[];
        });
        return names.filter((n) => n.toLowerCase().includes(term)).map((n) => `${named}/${n}`);
      }),
    );
    return { repositories: found.flat() };
  }

  private catalog(registry: string, registryAuth: string | undefined): Promise<string[]> {
    const key = `${registry}|${registryAuth ?? ''}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.repositories;
    const repositories = this.list(registry, registryAuth);
    this.cache.set(key, { at: Date.now(), repositories });
    repositories.catch(() => this.cache.delete(key));
    return repositories;
  }

  private async list(registry: string, registryAuth: string | undefined): Promise<string[]> {
    const names: string[] = [];
    for await (const name of clientForRequest(this.registry, registry, registryAuth).catalog(
      registry,
    )) {
      names.push(name);
      if (names.length >= MAX_REPOSITORIES) break;
    }
    return names;
  }
}
