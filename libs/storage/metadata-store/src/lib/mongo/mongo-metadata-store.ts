import { ClientSession, Connection, createConnection } from 'mongoose';
import type { ImageRecord } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import type {
  DeleteImageOptions,
  DeletedImage,
  MetadataStore,
  NewImage,
  PutImageRefs,
  PutImageResult,
  RefChange,
} from '../port/metadata-store.port';
import * as v from '../port/validation';
import { guarded, toDomainError, toImageDoc, toImageRecord } from './mongo-mapping';
import { ImageDoc, MetadataModels, RefDoc, createMetadataModels } from './mongo-schemas';

/** MongoConnectOptions tune {@link MongoMetadataStore.connect}. */
export interface MongoConnectOptions {
  /** Database to use instead of the one named in the URL. */
  dbName?: string;
  /** How long to look for a usable server before failing with UNAVAILABLE (ms). Default 10000. */
  serverSelectionTimeoutMS?: number;
}

type Session = ClientSession;

/**
 * MongoMetadataStore is the {@link MetadataStore} for replicated deployments, on mongoose models
 * bound to an injected connection. Images and references (`refs`, keyed by the reference) are
 * separate collections; a change that spans documents runs in a transaction, so the server
 * must be a replica set or a sharded cluster (checked when the store is created).
 */
export class MongoMetadataStore implements MetadataStore {
  private constructor(
    private readonly connection: Connection,
    private readonly models: MetadataModels,
    private readonly ownsConnection: boolean,
  ) {}

  /**
   * MongoMetadataStore.fromConnection builds a store on an open `connection` that the caller keeps
   * owning (close() leaves it open); throws UNSUPPORTED when the server cannot run transactions.
   */
  static async fromConnection(connection: Connection): Promise<MongoMetadataStore> {
    return MongoMetadataStore.build(connection, false);
  }

  /**
   * MongoMetadataStore.connect opens its own connection to `url` (closed by close()); throws
   * UNAVAILABLE when no server answers. The URL, which may hold credentials, is never logged.
   */
  static async connect(
    url: string,
    options: MongoConnectOptions = {},
  ): Promise<MongoMetadataStore> {
    const connection = createConnection(url, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
      ...(options.dbName === undefined ? {} : { dbName: options.dbName }),
    });
    try {
      return await MongoMetadataStore.build(connection, true);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw toDomainError(error);
    }
  }

  private static async build(connection: Connection, owns: boolean): Promise<MongoMetadataStore> {
    return guarded(async () => {
      await connection.asPromise();
      await assertTransactions(connection);
      const models = await createMetadataModels(connection);
      return new MongoMetadataStore(connection, models, owns);
    });
  }

  async putImage(image: NewImage, refs: PutImageRefs = {}): Promise<PutImageResult> {
    v.assertNewImage(image);
    return this.tx(async (session) => {
      const { created, manifestAdded } = await this.storeImage(image, session);
      const result: Omit<PutImageResult, 'image'> = { created, manifestAdded };
      if (refs.tag !== undefined) {
        result.tag = await this.pointRef(v.assertTagRef(refs.tag), 'tag', image.id, session);
        if (result.tag.changed && refs.taggedAt)
          await this.setLastTagTime(image.id, refs.taggedAt, session);
      }
      if (refs.repoDigest !== undefined) {
        result.repoDigest = await this.pointRef(
          v.assertDigestRef(refs.repoDigest),
          'digest',
          image.id,
          session,
        );
      }
      return { ...result, image: await this.mustGet(image.id, session) };
    });
  }

  async getImage(id: string): Promise<ImageRecord | undefined> {
    v.assertImageId(id);
    return guarded(() => this.load(id, null));
  }

  async findImagesByIdPrefix(prefix: string): Promise<ImageRecord[]> {
    const { from, to } = v.idPrefixRange(v.assertIdPrefix(prefix));
    return guarded(async () =>
      this.withRefs(
        await this.models.images.find({ _id: { $gte: from, $lt: to } }).lean<ImageDoc[]>(),
      ),
    );
  }

  async findImageByTag(tag: string): Promise<ImageRecord | undefined> {
    return this.findByRef(v.assertTagRef(tag), 'tag');
  }

  async findImageByRepoDigest(repoDigest: string): Promise<ImageRecord | undefined> {
    return this.findByRef(v.assertDigestRef(repoDigest), 'digest');
  }

  async listImages(): Promise<ImageRecord[]> {
    return guarded(async () =>
      v.sortNewestFirst(await this.withRefs(await this.models.images.find().lean<ImageDoc[]>())),
    );
  }

  async deleteImage(
    id: string,
    options: DeleteImageOptions = {},
  ): Promise<DeletedImage | undefined> {
    v.assertImageId(id);
    return this.tx(async (session) => {
      const image = await this.load(id, session);
      if (!image) return undefined;
      const removedRefs = [...image.repoTags, ...image.repoDigests].sort(v.compareStrings);
      if (options.onlyIfUnreferenced && removedRefs.length > 0) return undefined;
      await this.models.refs.deleteMany({ imageId: id }, { session });
      await this.models.images.deleteOne({ _id: id }, { session });
      const blobs = v.blobsOfManifests(image.manifests);
      const still = await this.referencedIn(blobs, session);
      return { image, removedRefs, releasedBlobs: blobs.filter((d) => !still.has(d)) };
    });
  }

  async setTag(id: string, tag: string, taggedAt: string): Promise<string | undefined> {
    v.assertImageId(id);
    v.assertTagRef(tag);
    return this.tx(async (session) => {
      await this.mustGet(id, session);
      const change = await this.pointRef(tag, 'tag', id, session);
      await this.setLastTagTime(id, taggedAt, session);
      return change.previousImageId;
    });
  }

  async removeTag(tag: string): Promise<string | undefined> {
    return this.deleteRef(v.assertTagRef(tag), 'tag');
  }

  async addRepoDigest(id: string, repoDigest: string): Promise<string | undefined> {
    v.assertImageId(id);
    v.assertDigestRef(repoDigest);
    return this.tx(async (session) => {
      await this.mustGet(id, session);
      return (await this.pointRef(repoDigest, 'digest', id, session)).previousImageId;
    });
  }

  async removeRepoDigest(repoDigest: string): Promise<string | undefined> {
    return this.deleteRef(v.assertDigestRef(repoDigest), 'digest');
  }

  async referencedBlobs(digests: readonly string[]): Promise<string[]> {
    digests.forEach(v.assertBlobDigest);
    const referenced = await guarded(() => this.referencedIn(digests, null));
    return [...new Set(digests)].filter((d) => referenced.has(d));
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.connection.close();
  }

  /** tx runs `work` in a transaction; the driver retries it on transient errors, so it must be repeatable. */
  private async tx<T>(work: (session: Session) => Promise<T>): Promise<T> {
    return guarded(() => this.connection.transaction(work));
  }

  private async storeImage(
    image: NewImage,
    session: Session,
  ): Promise<{ created: boolean; manifestAdded: boolean }> {
    const stored = await this.models.images
      .findById(image.id, { manifests: 1 }, { session })
      .lean<Pick<ImageDoc, 'manifests'>>();
    if (!stored) {
      await this.models.images.insertMany([toImageDoc(image)], { session });
      return { created: true, manifestAdded: false };
    }
    const merged = v.mergeManifests(stored.manifests, image.manifests);
    if (!merged.added) return { created: false, manifestAdded: false };
    const blobs = v.blobsOfManifests(merged.manifests);
    await this.models.images.updateOne(
      { _id: image.id },
      { $set: { manifests: merged.manifests, blobs } },
      { session },
    );
    return { created: false, manifestAdded: true };
  }

  private async pointRef(
    ref: string,
    kind: RefDoc['kind'],
    id: string,
    session: Session,
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

  private async deleteRef(ref: string, kind: RefDoc['kind']): Promise<string | undefined> {
    return guarded(
      async () =>
        (await this.models.refs.findOneAndDelete({ _id: ref, kind }).lean<RefDoc>())?.imageId,
    );
  }

  private async setLastTagTime(id: string, at: string, session: Session): Promise<void> {
    await this.models.images.updateOne({ _id: id }, { $set: { lastTagTime: at } }, { session });
  }

  private async findByRef(ref: string, kind: RefDoc['kind']): Promise<ImageRecord | undefined> {
    return guarded(async () => {
      const found = await this.models.refs.findOne({ _id: ref, kind }).lean<RefDoc>();
      return found ? this.load(found.imageId, null) : undefined;
    });
  }

  private async load(id: string, session: Session | null): Promise<ImageRecord | undefined> {
    const doc = await this.models.images.findById(id, null, { session }).lean<ImageDoc>();
    if (!doc) return undefined;
    const refs = await this.models.refs.find({ imageId: id }, null, { session }).lean<RefDoc[]>();
    return toImageRecord(doc, refs);
  }

  private async mustGet(id: string, session: Session): Promise<ImageRecord> {
    const image = await this.load(id, session);
    if (!image) throw DomainError.notFound(`No such image: ${id}`, { id });
    return image;
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

  private async referencedIn(
    digests: readonly string[],
    session: Session | null,
  ): Promise<Set<string>> {
    const values = await this.models.images
      .distinct('blobs', { blobs: { $in: digests } })
      .session(session);
    return new Set((values as unknown[]).filter((d): d is string => typeof d === 'string'));
  }
}

/** assertTransactions refuses a standalone server: multi-document changes need transactions. */
async function assertTransactions(connection: Connection): Promise<void> {
  const hello = (await connection.db?.admin().command({ hello: 1 })) as
    { setName?: string; msg?: string } | undefined;
  if (hello?.setName === undefined && hello?.msg !== 'isdbgrid') {
    throw DomainError.unsupported(
      'the MongoDB metadata store needs transactions: connect it to a replica set or a sharded cluster, not a standalone server',
    );
  }
}
