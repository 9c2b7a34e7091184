import { Injectable } from '@nestjs/common';
import {
  CatalogMatchesV1,
  ImageListV1,
  LIST_IMAGES_V1,
  SEARCH_CATALOGS_V1,
} from '@stevedore/contracts';
import { DomainError, parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { assertKnownFilters, parseFiltersParam } from '../filters/filters-param';

/** SearchResult is one row of `GET /images/search` (Docker's schema; no stars or descriptions here). */
export interface SearchResult {
  name: string;
  description: string;
  star_count: number;
  is_official: boolean;
  is_automated: boolean;
}

/** SearchCommand is `GET /images/search?term&limit&filters` with its `X-Registry-Auth`. */
export interface SearchCommand {
  term?: string;
  /** Already read as an integer at the edge; absent or 0 is the default of 25. */
  limit?: number;
  filters?: string;
  registryAuth?: string;
}

const SEARCH_FILTERS = ['is-official', 'is-automated', 'stars'] as const;

/**
 * SearchImagesUseCase is `docker search`: repositories whose name contains the term, from the local
 * store and from the `_catalog` of the registry the term names (or of every configured registry),
 * then the filters and the limit, applied here because the CLI applies none.
 */
@Injectable()
export class SearchImagesUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(command: SearchCommand): Promise<SearchResult[]> {
    const term = (command.term ?? '').trim();
    if (term === '') throw DomainError.invalidArgument('a search term is required');
    const limit = limitOf(command.limit);
    const filters = parseFiltersParam(command.filters);
    assertKnownFilters(filters, SEARCH_FILTERS);
    const minStars = starsOf(filters.get('stars')?.[0]);
    const official = filters.get('is-official')?.[0];
    if (/^(true|1)$/i.test(filters.get('is-automated')?.[0] ?? '')) return []; // deprecated: nothing is automated
    const { registry, text } = splitTerm(term);
    const names = await this.names(text, registry, command.registryAuth);
    return [...names]
      .sort()
      .map(resultOf)
      .filter(
        (r) =>
          r.star_count >= minStars &&
          (official === undefined || r.is_official === /^(true|1)$/i.test(official)),
      )
      .slice(0, limit);
  }

  private async names(
    text: string,
    registry: string | undefined,
    registryAuth: string | undefined,
  ): Promise<Set<string>> {
    const [local, remote] = await Promise.all([
      registry ? Promise.resolve([]) : this.localNames(text),
      this.bus.send<CatalogMatchesV1>(
        SEARCH_CATALOGS_V1,
        {
          term: text,
          ...(registry ? { registry } : {}),
          ...(registryAuth ? { registryAuth } : {}),
        },
        { timeoutMs: 60_000 },
      ),
    ]);
    return new Set([...local, ...remote.repositories.map((r) => parseReference(r).familiarName())]);
  }

  private async localNames(text: string): Promise<string[]> {
    const { images } = await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    const repos = images.flatMap((i) => i.repoTags).map((t) => parseReference(t).familiarName());
    return repos.filter((r) => r.toLowerCase().includes(text.toLowerCase()));
  }
}

/** splitTerm separates a registry (`127.0.0.1:5000/centos`) from the text to look for, as the daemon does. */
export function splitTerm(term: string): { registry?: string; text: string } {
  const slash = term.indexOf('/');
  const first = slash === -1 ? '' : term.slice(0, slash);
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost'))
    return { registry: first, text: term.slice(slash + 1) };
  return { text: term };
}

function resultOf(name: string): SearchResult {
  // Docker Hub's official images are its `library/` repositories: one-component familiar names.
  return {
    name,
    description: '',
    star_count: 0,
    is_official: !name.includes('/'),
    is_automated: false,
  };
}

function limitOf(limit: number | undefined): number {
  if (limit === undefined || limit === 0) return 25;
  if (limit < 1 || limit > 100)
    throw DomainError.invalidArgument(`limit ${limit} is outside the range of [1, 100]`);
  return limit;
}

function starsOf(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d+$/.test(raw)) throw DomainError.invalidArgument(`invalid filter 'stars=${raw}'`);
  return Number(raw);
}
