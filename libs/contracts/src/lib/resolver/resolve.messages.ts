import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Reference } from '@stevedore/domain';
import type { ImageManifestRecord } from '../metadata/image-record';
import type { RecordImageV1 } from '../metadata/image.messages';

export const RESOLVE_REFERENCE_V1 = 'resolver.reference.resolve.v1' as const;
/**
 * Resolves a reference to one platform's manifest, config and layers. The resolver stores the
 * small documents it read (index, manifest, config) in the blob store, so what it answers with
 * is descriptors only.
 */
export class ResolveReferenceV1 {
  /** Any reference the user typed (`busybox`, `localhost:5000/app@sha256:…`). */
  @IsString() @MaxLength(4096) reference!: string;
  /** `os/arch[/variant]`; the host platform when absent. */
  @IsOptional() @IsString() platform?: string;
  /** The Engine API's `X-Registry-Auth` value, passed through untouched. Secret: never log it. */
  @IsOptional() @IsString() @MaxLength(16_384) registryAuth?: string;
}
export interface ResolvedImageV1 {
  /** Fully qualified reference as resolved (`docker.io/library/busybox:latest`). */
  reference: string;
  /** Digest of the document the reference points to (the index, or the manifest). */
  topDigest: string;
  manifest: ImageManifestRecord;
  /** The config JSON text (small), for the metadata record. */
  configJson: string;
}

/**
 * recordRequestFor is what a finished pull of `ref` asks metadata to record: the resolved image,
 * tagged `name:tag` unless it was pulled by digest, and reachable as `name@<top digest>`.
 */
export function recordRequestFor(ref: Reference, resolved: ResolvedImageV1): RecordImageV1 {
  return {
    id: resolved.manifest.config.digest,
    manifest: resolved.manifest,
    configJson: resolved.configJson,
    ...(ref.digest ? {} : { tag: `${ref.name}:${ref.tag ?? 'latest'}` }),
    repoDigest: `${ref.name}@${resolved.topDigest}`,
  };
}
