import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsDigest } from '../common/validators';

export const PUSH_IMAGE_V1 = 'exporter.image.push.v1' as const;
/**
 * Pushes a stored image to `target` (a fully qualified `name:tag`): its blobs (HEAD-skipped,
 * mounted or uploaded from the store), then its original manifest bytes, so the registry gets
 * the same digest. Streams {@link PushEventV1}s.
 */
export class PushImageV1 {
  @IsString() @MaxLength(4096) target!: string;
  /** The manifest (or index) to push, stored byte-exact in the blob store. */
  @IsDigest() manifestDigest!: string;
  @IsString() @MaxLength(255) manifestMediaType!: string;
  /** A `name@digest` the image came from, to mount blobs from when it is on the target's registry. */
  @IsOptional() @IsString() @MaxLength(4096) origin?: string;
  /** The Engine API's `X-Registry-Auth` value, passed through untouched. Secret: never log it. */
  @IsOptional() @IsString() @MaxLength(16_384) registryAuth?: string;
}

/** PushEventV1 is one step of a push: the layers to send, each layer's progress and outcome, the result. */
export type PushEventV1 =
  | { type: 'layers'; digests: string[] }
  | { type: 'pushing'; digest: string; current: number; total: number }
  | { type: 'blob'; digest: string; outcome: 'exists' | 'mounted' | 'uploaded'; from?: string }
  | { type: 'pushed'; digest: string; size: number };
