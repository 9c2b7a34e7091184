import { IsOptional, IsString, MaxLength } from 'class-validator';

export const INSPECT_DISTRIBUTION_V1 = 'resolver.distribution.inspect.v1' as const;
/**
 * Reads what a reference names in its registry (`GET /distribution/{name}/json`): the descriptor of
 * the manifest or index, and the platforms it serves. Nothing is stored.
 */
export class InspectDistributionV1 {
  /** Any reference the user typed (`busybox`, `localhost:5000/app@sha256:…`). */
  @IsString() @MaxLength(4096) reference!: string;
  /** The Engine API's `X-Registry-Auth` value, passed through untouched. Secret: never log it. */
  @IsOptional() @IsString() @MaxLength(16_384) registryAuth?: string;
}

/** DistributionPlatformV1 is an OCI platform in its JSON spelling (`os.version`, `os.features`). */
export interface DistributionPlatformV1 {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
}

export interface DistributionInspectV1 {
  descriptor: { mediaType: string; digest: string; size: number; urls?: string[] };
  /** The index's platforms, or the one a single manifest's config names (empty when it names none). */
  platforms: DistributionPlatformV1[];
}

export const HEAD_MANIFEST_V1 = 'resolver.manifest.head.v1' as const;
/**
 * Asks the registry (mirrors first for Docker Hub) what a tag names now, with a `HEAD` only: the
 * pull-through cache's revalidation of a tag it serves from the store. Nothing is stored.
 */
export class HeadManifestV1 {
  /** A fully qualified reference (`docker.io/library/busybox:latest`). */
  @IsString() @MaxLength(4096) reference!: string;
}

export interface ManifestHeadV1 {
  digest: string;
  size: number;
  mediaType?: string;
}

export const LIST_UPSTREAM_REFERRERS_V1 = 'resolver.referrers.list.v1' as const;
/**
 * Asks the registry for the manifests whose `subject` is a digest (the OCI 1.1 referrers API, or
 * its fallback tag `sha256-<hex>` where the registry lacks the API): what the pull-through cache
 * adds to the referrers it stores. Nothing is stored.
 */
export class ListUpstreamReferrersV1 {
  /** A fully qualified reference by digest: the subject (`docker.io/library/busybox@sha256:…`). */
  @IsString() @MaxLength(4096) reference!: string;
  @IsOptional() @IsString() @MaxLength(255) artifactType?: string;
}

/** UpstreamReferrerV1 is one descriptor of a referrers index. */
export interface UpstreamReferrerV1 {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface UpstreamReferrersV1 {
  manifests: UpstreamReferrerV1[];
  /** Whether the registry applied the `artifactType` filter (`OCI-Filters-Applied`). */
  filtered: boolean;
}
