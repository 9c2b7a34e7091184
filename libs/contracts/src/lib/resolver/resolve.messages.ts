import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import type { ImageManifestRecord } from '../metadata/image-record';

export const RESOLVE_REFERENCE_V1 = 'resolver.reference.resolve.v1' as const;
/**
 * Resolves a reference to one platform's manifest, config and layers. The resolver stores the
 * small documents it read (index, manifest, config) in the blob store, so what it answers with
 * is descriptors only. A document it resolved before is answered from memory, without storing the
 * documents again: `fresh` asks for them read and stored anew.
 */
export class ResolveReferenceV1 {
  /** Any reference the user typed (`busybox`, `localhost:5000/app@sha256:…`). */
  @IsString() @MaxLength(4096) reference!: string;
  /** `os/arch[/variant]`; the host platform when absent. */
  @IsOptional() @IsString() platform?: string;
  /** The Engine API's `X-Registry-Auth` value, passed through untouched. Secret: never log it. */
  @IsOptional() @IsString() @MaxLength(16_384) registryAuth?: string;
  /** Read every document from the registry and store it again, as if never resolved before. */
  @IsOptional() @IsBoolean() fresh?: boolean;
}
export interface ResolvedImageV1 {
  /** Fully qualified reference as resolved (`docker.io/library/busybox:latest`). */
  reference: string;
  /** Digest of the document the reference points to (the index, or the manifest). */
  topDigest: string;
  manifest: ImageManifestRecord;
}
