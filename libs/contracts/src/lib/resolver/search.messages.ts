import { IsOptional, IsString, MaxLength } from 'class-validator';

export const SEARCH_CATALOGS_V1 = 'resolver.registry.search.v1' as const;
/**
 * Finds repositories whose name contains `term`, in the `_catalog` of `registry` when given, else of
 * every registry the configuration names (insecure registries and mirrors). Listings are cached briefly.
 */
export class SearchCatalogsV1 {
  @IsString() @MaxLength(255) term!: string;
  @IsOptional() @IsString() @MaxLength(255) registry?: string;
  /** The Engine API's `X-Registry-Auth` value, passed through untouched. Secret: never log it. */
  @IsOptional() @IsString() @MaxLength(16_384) registryAuth?: string;
}
export interface CatalogMatchesV1 {
  /** Fully qualified repository names (`127.0.0.1:5000/library/busybox`). */
  repositories: string[];
}
