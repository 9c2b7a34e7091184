import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CatalogMatchesV1, SearchCatalogsV1 } from '@stevedore/contracts';
import { RegistryClient, UPSTREAM_REGISTRIES, clientForRequest } from '@stevedore/registry-client';

/** How long a registry's catalog is reused: searches come in bursts, catalogs change slowly. */
const CACHE_MS = 30_000;
/** Repositories read from one catalog at most (a public registry's catalog can be huge). */
const MAX_REPOSITORIES = 10_000;

/**
 * SearchCatalogsUseCase answers `docker search` from registries' `_catalog` listings: the one the
 * term names, or every configured registry. A registry that cannot be listed is skipped (logged),
 * so one unreachable mirror does not fail the search.
 */
@Injectable()
export class SearchCatalogsUseCase {
  private readonly logger = new Logger(SearchCatalogsUseCase.name);
  private readonly cache = new Map<string, { at: number; repositories: Promise<string[]> }>();

  constructor(
    private readonly registry: RegistryClient,
    @Inject(UPSTREAM_REGISTRIES) private readonly registries: string[],
  ) {}

  async execute(request: SearchCatalogsV1): Promise<CatalogMatchesV1> {
    const term = request.term.toLowerCase();
    const targets = request.registry ? [request.registry] : this.registries;
    const found = await Promise.all(
      targets.map(async (registry) => {
        const names = await this.catalog(registry, request.registryAuth).catch((err: unknown) => {
          this.logger.warn({
            msg: 'catalog listing failed',
            registry,
            error: err instanceof Error ? err.message : String(err),
          });
          return [] as string[];
        });
        return names.filter((n) => n.toLowerCase().includes(term)).map((n) => `${registry}/${n}`);
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
