import type { ClientSession } from 'mongoose';
import type { ImageRecord } from '@stevedore/contracts';
import type { NewImage, RefChange } from '../port/metadata-store.port';
import { assertHoldsManifests, blobsOfManifests, mergeManifests } from '../port/validation';
import { toImageDoc, toImageRecord } from './mongo-mapping';
import type { ImageDoc, MetadataModels, RefDoc } from './mongo-schemas';

/** ReadSession is the transaction a read runs in, or null to read outside one. */
type ReadSession = ClientSession | null;

/**
 * ImageDocs holds the queries over the `images` and `refs` collections and maps documents to
 * records. Writes take the session of the caller's transaction: atomicity is the caller's.
 */
export class ImageDocs {
  constructor(private readonly models: MetadataModels) {}

  /** load returns image `id` with its references, or undefined. */
  async load(id: string, session: ReadSession): Promise<ImageRecord | undefined> {
    const doc = await this.models.images.findById(id, null, { session }).lean<ImageDoc>();
    if (!doc) return undefined;
    const refs = await this.models.refs.find({ imageId: id }, null, { session }).lean<RefDoc[]>();
    return toImageRecord(doc, refs);
  }

  /** inRange returns the images whose id lies in `[from, to)`, with their references. */
  async inRange(from: string, to: string): Promise<ImageRecord[]> {
    return this.withRefs(
      await this.models.images.find({ _id: { $gte: from, $lt: to } }).lean<ImageDoc[]>(),
    );
  }

  /** all returns every image with its references (two queries, whatever the number of images). */
  async all(): Promise<ImageRecord[]> {
    return this.withRefs(await this.models.images.find().lean<ImageDoc[]>());
  }

  /** store inserts `image`, or merges its manifests into the stored one. */
  async store(
    image: NewImage,
    session: ClientSession,
    existingOnly = false,
  ): Promise<{ created: boolean; manifestAdded: boolean }> {
    const stored = await this.models.images
      .findById(image.id, { manifests: 1 }, { session })
      .lean<Pick<ImageDoc, 'manifests'>>();
    if (existingOnly) assertHoldsManifests(image, stored?.manifests);
    if (!stored) {
      await this.models.images.insertMany([toImageDoc(image)], { session });
      return { created: true, manifestAdded: false };
    }
    const merged = mergeManifests(stored.manifests, image.manifests);
    if (!merged.added) return { created: false, manifestAdded: false };
    const blobs = blobsOfManifests(merged.manifests);
    await this.models.images.updateOne(
      { _id: image.id },
      { $set: { manifests: merged.manifests, blobs } },
      { session },
    );
    return { created: false, manifestAdded: true };
  }

  /** delete removes image `id` and every reference to it. */
  async delete(id: string, session: ClientSession): Promise<void> {
    await this.models.refs.deleteMany({ imageId: id }, { session });
    await this.models.images.deleteOne({ _id: id }, { session });
  }

  /** setLastTagTime records when image `id` was last tagged. */
  async setLastTagTime(id: string, at: string, session: ClientSession): Promise<void> {
    await this.models.images.updateOne({ _id: id }, { $set: { lastTagTime: at } }, { session });
  }

  /** pointRef points `ref` at image `id`, replacing whatever it pointed at, and says what changed. */
  async pointRef(
    ref: string,
    kind: RefDoc['kind'],
    id: string,
    session: ClientSession,
  ): Promise<RefChange> {
    // One upsert both moves the reference and returns where it pointed before.
    const before = await this.models.refs
      .findOneAndUpdate(
        { _id: ref },
        { $set: { kind, imageId: id } },
        { upsert: true, new: false, session },
      )
      .lean<RefDoc>();
    if (before?.imageId === id) return { changed: false };
    return before ? { changed: true, previousImageId: before.imageId } : { changed: true };
  }

  /** refTarget returns the id of the image `ref` points at, or undefined. */
  async refTarget(ref: string, kind: RefDoc['kind']): Promise<string | undefined> {
    return (await this.models.refs.findOne({ _id: ref, kind }).lean<RefDoc>())?.imageId;
  }

  /** deleteRef removes `ref` and returns the id of the image it pointed at, or undefined. */
  async deleteRef(ref: string, kind: RefDoc['kind']): Promise<string | undefined> {
    return (await this.models.refs.findOneAndDelete({ _id: ref, kind }).lean<RefDoc>())?.imageId;
  }

  /** referenced returns the subset of `digests` some image refers to (unordered). */
  async referenced(digests: readonly string[], session: ReadSession): Promise<Set<string>> {
    const values = await this.models.images
      .distinct('blobs', { blobs: { $in: digests } })
      .session(session);
    return new Set((values as unknown[]).filter((d): d is string => typeof d === 'string'));
  }

  private async withRefs(docs: ImageDoc[]): Promise<ImageRecord[]> {
    const byImage = new Map<string, RefDoc[]>();
    for (const ref of await this.models.refs
      .find({ imageId: { $in: docs.map((d) => d._id) } })
      .lean<RefDoc[]>()) {
      byImage.set(ref.imageId, [...(byImage.get(ref.imageId) ?? []), ref]);
    }
    return docs.map((doc) => toImageRecord(doc, byImage.get(doc._id) ?? []));
  }
}
