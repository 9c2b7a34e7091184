import { ClientSession, Connection, createConnection } from 'mongoose';
import type {
  ImageRecord,
  ImageSummaryRecord,
  ManifestTagV1,
  RepositoryManifestRecord,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import type {
  DeleteImageOptions,
  DeletedImage,
  ListingChanges,
  MetadataStore,
  NewImage,
  PutImageRefs,
  PutImageResult,
} from '../port/metadata-store.port';
import * as v from '../port/validation';
import {
  assertManifestKey,
  assertManifestRecord,
  assertRepository,
  assertTag,
} from '../port/manifest-validation';
import { ImageDocs } from './mongo-image-docs';
import { ManifestDocs } from './mongo-manifest-docs';
import { guarded, toDomainError } from './mongo-mapping';
import { RefDoc, createMetadataModels } from './mongo-schemas';

/** MongoConnectOptions tune {@link MongoMetadataStore.connect}. */
export interface MongoConnectOptions {
  /** Database to use instead of the one named in the URL. */
  dbName?: string;
  /** How long to look for a usable server before failing with UNAVAILABLE (ms). Default 10000. */
  serverSelectionTimeoutMS?: number;
}

/**
 * MongoMetadataStore is the {@link MetadataStore} for replicated deployments, on mongoose models
 * bound to an injected connection. Images and references (`refs`, keyed by the reference) are
 * separate collections; a change that spans documents runs in a transaction, so the server
 * must be a replica set or a sharded cluster (checked when the store is created).
 */
export class MongoMetadataStore implements MetadataStore {
  private constructor(
    private readonly connection: Connection,
    private readonly images: ImageDocs,
    private readonly manifests: ManifestDocs,
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
      return new MongoMetadataStore(
        connection,
        new ImageDocs(models),
        new ManifestDocs(models),
        owns,
      );
    });
  }

  async putImage(image: NewImage, refs: PutImageRefs = {}): Promise<PutImageResult> {
    v.assertNewImage(image);
    return this.tx(async (session) => {
      const { created, manifestAdded } = await this.images.store(image, session, refs.existingOnly);
      const result: Omit<PutImageResult, 'image'> = { created, manifestAdded };
      if (refs.tag !== undefined) {
        const tag = v.assertTagRef(refs.tag);
        result.tag = await this.images.pointRef(tag, 'tag', image.id, session);
      }
      if (refs.tags !== undefined) {
        result.tags = [];
        for (const tag of refs.tags)
          result.tags.push(
            await this.images.pointRef(v.assertTagRef(tag), 'tag', image.id, session),
          );
      }
      const tagged = [result.tag, ...(result.tags ?? [])].some((change) => change?.changed);
      if (tagged && refs.taggedAt)
        await this.images.setLastTagTime(image.id, refs.taggedAt, session);
      if (refs.repoDigest !== undefined) {
        const ref = v.assertDigestRef(refs.repoDigest);
        result.repoDigest = await this.images.pointRef(ref, 'digest', image.id, session);
      }
      return { ...result, image: await this.mustGet(image.id, session) };
    });
  }

  async getImage(id: string): Promise<ImageRecord | undefined> {
    v.assertImageId(id);
    return guarded(() => this.images.load(id, null));
  }

  async findImagesByIdPrefix(prefix: string): Promise<ImageRecord[]> {
    const { from, to } = v.idPrefixRange(v.assertIdPrefix(prefix));
    return guarded(() => this.images.inRange(from, to));
  }

  async findImageByTag(tag: string): Promise<ImageRecord | undefined> {
    return this.findByRef(v.assertTagRef(tag), 'tag');
  }

  async findImageByRepoDigest(repoDigest: string): Promise<ImageRecord | undefined> {
    return this.findByRef(v.assertDigestRef(repoDigest), 'digest');
  }

  async listImages(): Promise<ImageRecord[]> {
    return guarded(async () => v.sortNewestFirst(await this.images.all()));
  }

  /** listingVersion is unknown here: a change stream would tell, but listings are simply not reused. */
  async listingVersion(): Promise<string | undefined> {
    return undefined;
  }

  /** listingChangesSince cannot tell either: callers list everything. */
  async listingChangesSince(): Promise<ListingChanges | undefined> {
    return undefined;
  }

  /** listImageSummaries derives the summaries from the full documents (no stored column here yet). */
  async listImageSummaries(): Promise<ImageSummaryRecord[]> {
    return (await this.listImages()).map(v.summaryOf);
  }

  async deleteImage(
    id: string,
    options: DeleteImageOptions = {},
  ): Promise<DeletedImage | undefined> {
    v.assertImageId(id);
    return this.tx(async (session) => {
      const image = await this.images.load(id, session);
      if (!image) return undefined;
      const removedRefs = [...image.repoTags, ...image.repoDigests].sort(v.compareStrings);
      if (options.onlyIfUnreferenced && removedRefs.length > 0) return undefined;
      await this.images.delete(id, session);
      await this.manifests.deleteOfImage(id, session);
      const blobs = v.blobsOfManifests(image.manifests);
      const still = await this.referenced(blobs, session);
      return { image, removedRefs, releasedBlobs: blobs.filter((d) => !still.has(d)) };
    });
  }

  async setTag(id: string, tag: string, taggedAt: string): Promise<string | undefined> {
    v.assertImageId(id);
    v.assertTagRef(tag);
    return this.tx(async (session) => {
      await this.mustGet(id, session);
      const change = await this.images.pointRef(tag, 'tag', id, session);
      await this.images.setLastTagTime(id, taggedAt, session);
      return change.previousImageId;
    });
  }

  async removeTag(tag: string): Promise<string | undefined> {
    const ref = v.assertTagRef(tag);
    return guarded(() => this.images.deleteRef(ref, 'tag'));
  }

  async addRepoDigest(id: string, repoDigest: string): Promise<string | undefined> {
    v.assertImageId(id);
    v.assertDigestRef(repoDigest);
    return this.tx(async (session) => {
      await this.mustGet(id, session);
      return (await this.images.pointRef(repoDigest, 'digest', id, session)).previousImageId;
    });
  }

  async removeRepoDigest(repoDigest: string): Promise<string | undefined> {
    const ref = v.assertDigestRef(repoDigest);
    return guarded(() => this.images.deleteRef(ref, 'digest'));
  }

  async referencedBlobs(digests: readonly string[]): Promise<string[]> {
    digests.forEach(v.assertBlobDigest);
    const referenced = await guarded(() => this.referenced(digests, null));
    return [...new Set(digests)].filter((d) => referenced.has(d));
  }

  async putManifest(record: RepositoryManifestRecord, tag?: string): Promise<void> {
    const checked = assertManifestRecord(record);
    if (tag !== undefined) assertTag(tag);
    await this.tx(async (session) => {
      if (checked.imageId !== undefined) await this.mustGet(checked.imageId, session);
      await this.manifests.put(checked, tag, session);
    });
  }

  async listManifestTags(repository?: string): Promise<ManifestTagV1[]> {
    if (repository !== undefined) assertRepository(repository);
    return guarded(() => this.manifests.tags(repository));
  }

  async untagManifest(repository: string, tag: string): Promise<boolean> {
    assertRepository(repository);
    assertTag(tag);
    return guarded(() => this.manifests.untag(repository, tag));
  }

  async getManifest(
    repository: string,
    digest: string,
  ): Promise<RepositoryManifestRecord | undefined> {
    assertManifestKey(repository, digest);
    return guarded(() => this.manifests.get(repository, digest));
  }

  async listReferrers(
    repository: string,
    subject: string,
    artifactType?: string,
  ): Promise<RepositoryManifestRecord[]> {
    assertManifestKey(repository, subject);
    return guarded(() => this.manifests.referrers(repository, subject, artifactType));
  }

  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    assertManifestKey(repository, digest);
    return guarded(() => this.manifests.delete(repository, digest));
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.connection.close();
  }

  /** tx runs `work` in a transaction; the driver retries it on transient errors, so it must be repeatable. */
  private async tx<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    return guarded(() => this.connection.transaction(work));
  }

  /** referenced is the subset of `digests` an image or a repository manifest refers to. */
  private async referenced(digests: readonly string[], session: ClientSession | null) {
    const byImages = await this.images.referenced(digests, session);
    const byManifests = await this.manifests.referenced(digests, session);
    return new Set([...byImages, ...byManifests]);
  }

  private async findByRef(ref: string, kind: RefDoc['kind']): Promise<ImageRecord | undefined> {
    return guarded(async () => {
      const id = await this.images.refTarget(ref, kind);
      return id === undefined ? undefined : this.images.load(id, null);
    });
  }

  private async mustGet(id: string, session: ClientSession): Promise<ImageRecord> {
    const image = await this.images.load(id, session);
    if (!image) throw DomainError.notFound(`No such image: ${id}`, { id });
    return image;
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
