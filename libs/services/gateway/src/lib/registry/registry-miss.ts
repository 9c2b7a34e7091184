import type { Readable, Writable } from 'node:stream';
import type { UpstreamReferrersV1 } from '@stevedore/contracts';
import type { Digest } from '@stevedore/domain';
import { RegistryError } from './registry-error';

/** ServedManifest is a manifest as the registry answers it: its exact bytes, type and digest. */
export interface ServedManifest {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: Digest;
}

/** ServedBlob is a blob (or a range of it) being streamed to a client. */
export interface ServedBlob {
  readonly size: number;
  /** Undefined for HEAD (and when `send` gives the bytes). */
  readonly stream?: Readable;
  /** Writes the bytes into the response, once (a store that reuses its read buffers). */
  readonly send?: (out: Writable) => Promise<void>;
  /** The range served, inclusive, when the request had `Range`. */
  readonly range?: { start: number; end: number };
}

/**
 * RegistryMiss is the seam for what is not in the store: the registry calls it when a manifest or
 * blob is unknown to the repository, and answers what it returns. The default answers the spec's
 * MANIFEST_UNKNOWN / BLOB_UNKNOWN; the pull-through cache implements it by fetching from upstream
 * (and may return `undefined` for the same 404).
 */
export interface RegistryMiss {
  manifest(
    repository: string,
    reference: string,
    accept: readonly string[],
  ): Promise<ServedManifest | undefined>;
  blob(
    repository: string,
    digest: Digest,
    options: { head: boolean; range?: { start: number; end?: number } },
  ): Promise<ServedBlob | undefined>;
  /**
   * Optional: asked before a tag found in the store is served (`digest` is what it names there);
   * the pull-through cache answers the upstream's newer manifest once the tag is stale, else undefined.
   */
  revalidate?(repository: string, tag: string, digest: string): Promise<ServedManifest | undefined>;
  /**
   * Optional: the referrers of `subject` that the store may lack (the pull-through cache asks the
   * upstream); undefined when there are none to add or they cannot be had now.
   */
  referrers?(
    repository: string,
    subject: string,
    artifactType?: string,
  ): Promise<UpstreamReferrersV1 | undefined>;
}

/** Injection token of the {@link RegistryMiss} hook. */
export const REGISTRY_MISS = Symbol('REGISTRY_MISS');

/** NotFoundMiss is the default miss hook of a private registry: unknown is unknown. */
export class NotFoundMiss implements RegistryMiss {
  async manifest(): Promise<undefined> {
    return undefined;
  }

  async blob(): Promise<undefined> {
    return undefined;
  }
}

/** manifestUnknown is the spec's 404 for a manifest the repository does not have. */
export function manifestUnknown(repository: string, reference: string): RegistryError {
  return new RegistryError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', {
    name: repository,
    reference,
  });
}

/** blobUnknown is the spec's 404 for a blob the repository does not have. */
export function blobUnknown(repository: string, digest: Digest | string): RegistryError {
  return new RegistryError(404, 'BLOB_UNKNOWN', 'blob unknown to registry', {
    name: repository,
    digest: digest.toString(),
  });
}

/**
 * satisfiedRange is the part of a blob of `size` bytes that a `Range` asks for (its end clamped to
 * the blob's), or the spec's 416 when the range starts past the blob.
 */
export function satisfiedRange(
  size: number,
  range: { start: number; end?: number },
): { start: number; end: number } {
  const end = Math.min(range.end ?? size - 1, size - 1);
  if (range.start > end || range.start >= size)
    throw new RegistryError(416, 'BLOB_UNKNOWN', 'requested range not satisfiable', undefined, {
      'content-range': `bytes */${size}`,
    });
  return { start: range.start, end };
}
