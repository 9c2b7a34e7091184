import type { ClientSession } from 'mongoose';
import type { ManifestTagV1, RepositoryManifestRecord } from '@stevedore/contracts';
import { compareStrings as compare } from '../port/validation';
import { manifestRecordOf } from '../port/manifest-validation';
import type { ManifestDoc, MetadataModels } from './mongo-schemas';

type ReadSession = ClientSession | null;

/**
 * ManifestDocs keeps the repository manifests (artifacts, manifests with a subject) in the
 * `manifests` collection; the referrers query runs on its (repository, subject, artifactType)
 * index, GC reads its `blobs` index.
 */
export class ManifestDocs {
  constructor(private readonly models: MetadataModels) {}

  async put(
    record: RepositoryManifestRecord,
    tag: string | undefined,
    session: ClientSession,
  ): Promise<void> {
    const _id = `${record.repository}@${record.digest}`;
    const existing = await this.models.manifests
      .findById(_id, { seq: 1, tags: 1 }, { session })
      .lean();
    // A tag names one manifest of its repository: moved off whichever had it.
    if (tag !== undefined)
      await this.models.manifests.updateMany(
        { repository: record.repository, tags: tag },
        { $pull: { tags: tag } },
        { session },
      );
    const tags = [...new Set([...(existing?.tags ?? []), ...(tag === undefined ? [] : [tag])])];
    // Recording order, kept on a replace: a clock is enough (ties fall back to the digest).
    const seq = existing?.seq ?? Date.now();
    const doc: ManifestDoc = {
      _id,
      repository: record.repository,
      digest: record.digest,
      mediaType: record.mediaType,
      size: record.size,
      ...(record.artifactType === undefined ? {} : { artifactType: record.artifactType }),
      ...(record.subject === undefined ? {} : { subject: record.subject }),
      ...(record.annotations === undefined
        ? {}
        : { annotationsJson: JSON.stringify(record.annotations) }),
      ...(record.imageId === undefined ? {} : { imageId: record.imageId }),
      blobs: record.blobs,
      tags,
      seq,
    };
    await this.models.manifests.replaceOne({ _id }, doc, { upsert: true, session });
  }

  async get(repository: string, digest: string): Promise<RepositoryManifestRecord | undefined> {
    const doc = await this.models.manifests.findById(`${repository}@${digest}`).lean<ManifestDoc>();
    return doc ? toRecord(doc) : undefined;
  }

  async referrers(
    repository: string,
    subject: string,
    artifactType?: string,
  ): Promise<RepositoryManifestRecord[]> {
    const filter = { repository, subject, ...(artifactType === undefined ? {} : { artifactType }) };
    const docs = await this.models.manifests
      .find(filter)
      .sort({ seq: 1, digest: 1 })
      .lean<ManifestDoc[]>();
    return docs.map(toRecord);
  }

  async delete(repository: string, digest: string): Promise<boolean> {
    const result = await this.models.manifests.deleteOne({ _id: `${repository}@${digest}` });
    return result.deletedCount > 0;
  }

  async tags(repository: string | undefined): Promise<ManifestTagV1[]> {
    const filter = repository === undefined ? { 'tags.0': { $exists: true } } : { repository };
    const docs = await this.models.manifests
      .find(filter, { repository: 1, digest: 1, tags: 1 })
      .lean<ManifestDoc[]>();
    const tags = docs.flatMap((d) =>
      d.tags.map((tag) => ({ repository: d.repository, tag, digest: d.digest })),
    );
    return tags.sort((a, b) => compare(a.repository, b.repository) || compare(a.tag, b.tag));
  }

  async untag(repository: string, tag: string): Promise<boolean> {
    const result = await this.models.manifests.updateOne(
      { repository, tags: tag },
      { $pull: { tags: tag } },
    );
    return result.modifiedCount > 0;
  }

  /** deleteOfImage removes the records of image `id`, in the change that deletes the image. */
  async deleteOfImage(id: string, session: ClientSession): Promise<void> {
    await this.models.manifests.deleteMany({ imageId: id }, { session });
  }

  /** referenced returns the subset of `digests` some repository manifest names (unordered). */
  async referenced(digests: readonly string[], session: ReadSession): Promise<Set<string>> {
    const values = await this.models.manifests
      .distinct('blobs', { blobs: { $in: digests } })
      .session(session);
    return new Set((values as unknown[]).filter((d): d is string => typeof d === 'string'));
  }
}

function toRecord(doc: ManifestDoc): RepositoryManifestRecord {
  return manifestRecordOf(doc);
}
