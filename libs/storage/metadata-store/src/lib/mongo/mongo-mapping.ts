import type { ImageRecord } from '@stevedore/contracts';
import { DomainError, isDomainError } from '@stevedore/domain';
import type { NewImage } from '../port/metadata-store.port';
import { blobsOfManifests, compareStrings } from '../port/validation';
import type { ImageDoc, RefDoc } from './mongo-schemas';

/** toImageDoc maps a new image to its document (no `lastTagTime` yet; blobs derived from manifests). */
export function toImageDoc(image: NewImage): ImageDoc {
  const doc: ImageDoc = {
    _id: image.id,
    created: image.created,
    addedAt: image.addedAt,
    size: image.size,
    labels: Object.entries(image.labels).map(([key, value]) => ({ key, value })),
    os: image.os,
    architecture: image.architecture,
    configJson: image.configJson,
    manifests: image.manifests,
    blobs: blobsOfManifests(image.manifests),
  };
  if (image.variant !== undefined) doc.variant = image.variant;
  return doc;
}

/** toImageRecord maps a stored document and the references pointing at it to an {@link ImageRecord}. */
export function toImageRecord(doc: ImageDoc, refs: readonly RefDoc[]): ImageRecord {
  const sorted = [...refs].sort((a, b) => compareStrings(a._id, b._id));
  const record: ImageRecord = {
    id: doc._id,
    repoTags: sorted.filter((r) => r.kind === 'tag').map((r) => r._id),
    repoDigests: sorted.filter((r) => r.kind === 'digest').map((r) => r._id),
    manifests: doc.manifests,
    created: doc.created,
    addedAt: doc.addedAt,
    size: doc.size,
    labels: Object.fromEntries(doc.labels.map((l) => [l.key, l.value])),
    os: doc.os,
    architecture: doc.architecture,
    configJson: doc.configJson,
  };
  if (doc.lastTagTime !== undefined && doc.lastTagTime !== null)
    record.lastTagTime = doc.lastTagTime;
  if (doc.variant !== undefined && doc.variant !== null) record.variant = doc.variant;
  return record;
}

const UNAVAILABLE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/**
 * toDomainError maps a driver error to the closed code set: duplicate keys are CONFLICT, lost
 * connections UNAVAILABLE. Only the error's class travels — driver messages can name hosts.
 */
export function toDomainError(error: unknown): unknown {
  if (isDomainError(error) || !(error instanceof Error)) return error;
  if ((error as { code?: unknown }).code === 11000) {
    return new DomainError('CONFLICT', 'the metadata record already exists', undefined, {
      cause: error,
    });
  }
  if (UNAVAILABLE_ERRORS.has(error.name)) {
    return new DomainError(
      'UNAVAILABLE',
      `metadata database unavailable (${error.name})`,
      undefined,
      { cause: error },
    );
  }
  return error;
}

/** guarded runs `work` and rethrows its failure through {@link toDomainError}. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDomainError(error);
  }
}
