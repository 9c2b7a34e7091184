import BetterSqlite3, { Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  ImageRecord,
  ImageSummaryRecord,
  ManifestTagV1,
  RepositoryManifestRecord,
} from '@stevedore/contracts';
import { DomainError, spaceErrorOf } from '@stevedore/domain';
import type {
  DeleteImageOptions,
  DeletedImage,
  ListingChanges,
  MetadataStore,
  NewImage,
  PutImageRefs,
  PutImageResult,
  RefChange,
} from '../port/metadata-store.port';
import * as v from '../port/validation';
import {
  assertManifestKey,
  assertManifestRecord,
  assertRepository,
  assertTag,
} from '../port/manifest-validation';
import { ImageRows, RefKind } from './sqlite-image-rows';
import { ListingRows } from './sqlite-listing';
import { ManifestRows } from './sqlite-manifest-rows';
import { migrate } from './sqlite-schema';

/** SqliteMetadataStoreOptions tune {@link SqliteMetadataStore.open}. */
export interface SqliteMetadataStoreOptions {
  /** How long a writer waits for another process's lock before SQLITE_BUSY (ms). Default 5000. */
  busyTimeoutMs?: number;
}

/**
 * SqliteMetadataStore is the embedded {@link MetadataStore}: one SQLite file (WAL journal,
 * `synchronous=NORMAL`, foreign keys on) whose schema is migrated on open. Every method runs in
 * one transaction, so it is atomic even across processes sharing the file.
 */
export class SqliteMetadataStore implements MetadataStore {
  private readonly images: ImageRows;
  private readonly manifests: ManifestRows;

  private readonly listing: ListingRows;

  private constructor(private readonly db: Database) {
    this.images = new ImageRows(db);
    this.manifests = new ManifestRows(db);
    this.listing = new ListingRows(db, this.images);
  }

  /**
   * SqliteMetadataStore.open opens (creating it and its directory if needed) the database at
   * `path`, or a private in-memory one for `:memory:`, and migrates its schema.
   */
  static open(path: string, options: SqliteMetadataStoreOptions = {}): SqliteMetadataStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new BetterSqlite3(path, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      db.pragma('journal_mode = WAL');
      // WAL + NORMAL: a commit survives a process crash; only an OS crash may lose the last ones.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteMetadataStore(db);
  }

  async putImage(image: NewImage, refs: PutImageRefs = {}): Promise<PutImageResult> {
    return this.tx(() => {
      const { created, manifestAdded } = this.storeImage(image, refs.existingOnly);
      const result: Omit<PutImageResult, 'image'> = { created, manifestAdded };
      if (refs.tag !== undefined)
        result.tag = this.pointRef(v.assertTagRef(refs.tag), 'tag', image.id);
      if (refs.tags !== undefined)
        result.tags = refs.tags.map((tag) => this.pointRef(v.assertTagRef(tag), 'tag', image.id));
      const tagged = [result.tag, ...(result.tags ?? [])].some((change) => change?.changed);
      if (tagged && refs.taggedAt) this.images.setLastTagTime(image.id, refs.taggedAt);
      if (refs.repoDigest !== undefined) {
        result.repoDigest = this.pointRef(v.assertDigestRef(refs.repoDigest), 'digest', image.id);
      }
      return { ...result, image: this.mustGet(image.id) };
    });
  }

  async getImage(id: string): Promise<ImageRecord | undefined> {
    v.assertImageId(id);
    return this.read(() => this.images.get(id));
  }

  async findImagesByIdPrefix(prefix: string): Promise<ImageRecord[]> {
    const { from, to } = v.idPrefixRange(v.assertIdPrefix(prefix));
    return this.read(() => this.images.inRange(from, to));
  }

  async findImageByTag(tag: string): Promise<ImageRecord | undefined> {
    return this.findByRef(v.assertTagRef(tag), 'tag');
  }

  async findImageByRepoDigest(repoDigest: string): Promise<ImageRecord | undefined> {
    return this.findByRef(v.assertDigestRef(repoDigest), 'digest');
  }

  async listImages(): Promise<ImageRecord[]> {
    return v.sortNewestFirst(this.read(() => this.images.all()));
  }

  async listingVersion(): Promise<string> {
    return this.read(() => this.listing.version());
  }

  async listingChangesSince(known: string): Promise<ListingChanges | undefined> {
    return this.read(() => this.listing.changesSince(known));
  }

  async listImageSummaries(): Promise<ImageSummaryRecord[]> {
    return v.sortNewestFirst(this.read(() => this.images.summaries()));
  }

  async deleteImage(
    id: string,
    options: DeleteImageOptions = {},
  ): Promise<DeletedImage | undefined> {
    v.assertImageId(id);
    return this.tx(() => {
      const image = this.images.get(id);
      if (!image) return undefined;
      const removedRefs = [...image.repoTags, ...image.repoDigests].sort(v.compareStrings);
      if (options.onlyIfUnreferenced && removedRefs.length > 0) return undefined;
      this.images.delete(id);
      const blobs = v.blobsOfManifests(image.manifests);
      const still = this.images.referenced(blobs);
      return { image, removedRefs, releasedBlobs: blobs.filter((d) => !still.has(d)) };
    });
  }

  async setTag(id: string, tag: string, taggedAt: string): Promise<string | undefined> {
    return this.tx(() => {
      this.mustGet(v.assertImageId(id));
      const change = this.pointRef(v.assertTagRef(tag), 'tag', id);
      this.images.setLastTagTime(id, taggedAt);
      return change.previousImageId;
    });
  }

  async removeTag(tag: string): Promise<string | undefined> {
    return this.tx(() => this.images.deleteRef(v.assertTagRef(tag), 'tag'));
  }

  async addRepoDigest(id: string, repoDigest: string): Promise<string | undefined> {
    return this.tx(() => {
      this.mustGet(v.assertImageId(id));
      return this.pointRef(v.assertDigestRef(repoDigest), 'digest', id).previousImageId;
    });
  }

  async removeRepoDigest(repoDigest: string): Promise<string | undefined> {
    return this.tx(() => this.images.deleteRef(v.assertDigestRef(repoDigest), 'digest'));
  }

  async referencedBlobs(digests: readonly string[]): Promise<string[]> {
    digests.forEach(v.assertBlobDigest);
    const referenced = this.images.referenced(digests);
    return [...new Set(digests)].filter((d) => referenced.has(d));
  }

  async putManifest(record: RepositoryManifestRecord, tag?: string): Promise<void> {
    const checked = assertManifestRecord(record);
    if (tag !== undefined) assertTag(tag);
    this.tx(() => {
      if (checked.imageId !== undefined) this.mustGet(checked.imageId);
      this.manifests.put(checked, tag);
    });
  }

  async listManifestTags(repository?: string): Promise<ManifestTagV1[]> {
    if (repository !== undefined) assertRepository(repository);
    return this.read(() => this.manifests.tags(repository));
  }

  async untagManifest(repository: string, tag: string): Promise<boolean> {
    assertRepository(repository);
    return this.tx(() => this.manifests.untag(repository, assertTag(tag)));
  }

  async getManifest(
    repository: string,
    digest: string,
  ): Promise<RepositoryManifestRecord | undefined> {
    assertManifestKey(repository, digest);
    return this.read(() => this.manifests.get(repository, digest));
  }

  async listReferrers(
    repository: string,
    subject: string,
    artifactType?: string,
  ): Promise<RepositoryManifestRecord[]> {
    assertManifestKey(repository, subject);
    return this.read(() => this.manifests.referrers(repository, subject, artifactType));
  }

  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    assertManifestKey(repository, digest);
    return this.tx(() => this.manifests.delete(repository, digest));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /**
   * tx runs `work` in an IMMEDIATE transaction: the write lock is taken up front, so no upgrade
   * deadlock. A failure rolls it all back; a full disk (SQLITE_FULL) is NO_SPACE, and the handle
   * keeps working once there is room again.
   */
  private tx<T>(work: () => T): T {
    return noSpaceAsDomain(() => this.db.transaction(work).immediate());
  }

  /** read runs `work` in a deferred transaction: one consistent snapshot, no write lock. */
  private read<T>(work: () => T): T {
    return noSpaceAsDomain(() => this.db.transaction(work).deferred());
  }

  /** storeImage inserts `image`, or merges its manifests into the stored one. */
  private storeImage(
    image: NewImage,
    existingOnly = false,
  ): { created: boolean; manifestAdded: boolean } {
    v.assertNewImage(image);
    const stored = this.images.get(image.id);
    if (existingOnly) v.assertHoldsManifests(image, stored?.manifests);
    if (!stored) {
      this.images.insert(image);
      this.images.addBlobs(image.id, v.blobsOfManifests(image.manifests));
      return { created: true, manifestAdded: false };
    }
    const merged = v.mergeManifests(stored.manifests, image.manifests);
    if (!merged.added) return { created: false, manifestAdded: false };
    this.images.setManifests(image.id, merged.manifests, stored.configJson);
    this.images.addBlobs(image.id, v.blobsOfManifests(merged.manifests));
    return { created: false, manifestAdded: true };
  }

  private pointRef(ref: string, kind: RefKind, id: string): RefChange {
    const previous = this.images.refTarget(ref, kind);
    if (previous === id) return { changed: false };
    this.images.pointRef(ref, kind, id);
    return previous === undefined
      ? { changed: true }
      : { changed: true, previousImageId: previous };
  }

  private findByRef(ref: string, kind: RefKind): ImageRecord | undefined {
    return this.read(() => {
      const id = this.images.refTarget(ref, kind);
      return id === undefined ? undefined : this.images.get(id);
    });
  }

  private mustGet(id: string): ImageRecord {
    const image = this.images.get(id);
    if (!image) throw DomainError.notFound(`No such image: ${id}`, { id });
    return image;
  }
}

/** noSpaceAsDomain runs `step`, turning a full disk into NO_SPACE (other errors pass unchanged). */
function noSpaceAsDomain<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    throw spaceErrorOf(err) ?? err;
  }
}
