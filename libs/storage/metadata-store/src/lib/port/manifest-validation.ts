import type { RepositoryManifestRecord } from '@stevedore/contracts';
import { DomainError, TAG_RE } from '@stevedore/domain';
import { assertBlobDigest } from './validation';

/** assertRepository throws INVALID_ARGUMENT unless `repository` is a plausible `/v2/` name. */
export function assertRepository(repository: string): string {
  if (repository === '' || repository.length > 255 || repository !== repository.toLowerCase())
    throw DomainError.invalidArgument(`invalid repository: ${JSON.stringify(repository)}`, {
      repository,
    });
  return repository;
}

/**
 * assertManifestRecord checks what the stores rely on and answers the record in the one shape
 * both keep: digests valid, the manifest's own digest among its blobs, blobs without duplicates.
 */
export function assertManifestRecord(record: RepositoryManifestRecord): RepositoryManifestRecord {
  assertRepository(record.repository);
  assertBlobDigest(record.digest);
  if (record.subject !== undefined) assertBlobDigest(record.subject);
  if (record.imageId !== undefined) assertBlobDigest(record.imageId);
  record.blobs.forEach(assertBlobDigest);
  if (!Number.isSafeInteger(record.size) || record.size < 0)
    throw DomainError.invalidArgument(`invalid size: ${record.size}`);
  return { ...record, blobs: [...new Set([record.digest, ...record.blobs])] };
}

/** assertTag throws INVALID_ARGUMENT unless `tag` is a tag of the distribution spec's grammar. */
export function assertTag(tag: string): string {
  if (!TAG_RE.test(tag)) throw DomainError.invalidArgument(`invalid tag: ${JSON.stringify(tag)}`);
  return tag;
}

/** assertManifestKey checks a `(repository, digest)` key, as every lookup takes it. */
export function assertManifestKey(repository: string, digest: string): void {
  assertRepository(repository);
  assertBlobDigest(digest);
}

/** StoredManifestFields are a repository manifest as a store keeps it: absent fields null or missing, annotations as JSON. */
export interface StoredManifestFields {
  repository: string;
  digest: string;
  mediaType: string;
  size: number;
  artifactType?: string | null;
  subject?: string | null;
  annotationsJson?: string | null;
  imageId?: string | null;
  blobs: string[];
}

/** manifestRecordOf builds the record from what a store keeps, leaving absent fields out. */
export function manifestRecordOf(fields: StoredManifestFields): RepositoryManifestRecord {
  const { artifactType, subject, annotationsJson, imageId } = fields;
  return {
    repository: fields.repository,
    digest: fields.digest,
    mediaType: fields.mediaType,
    size: fields.size,
    ...(artifactType == null ? {} : { artifactType }),
    ...(subject == null ? {} : { subject }),
    ...(annotationsJson == null
      ? {}
      : { annotations: JSON.parse(annotationsJson) as Record<string, string> }),
    ...(imageId == null ? {} : { imageId }),
    blobs: fields.blobs,
  };
}
