import type {
  ImageRecord,
  ImageSummaryRecord,
  ManifestTagV1,
  RepositoryManifestRecord,
} from '@stevedore/contracts';

/** METADATA_STORE is the injection token under which a {@link MetadataStore} is provided. */
export const METADATA_STORE = Symbol('MetadataStore');

/**
 * NewImage is an {@link ImageRecord} without the fields the store derives from references
 * (`repoTags`, `repoDigests`, `lastTagTime`); its `addedAt` is kept only if the image is new.
 */
export type NewImage = Omit<ImageRecord, 'repoTags' | 'repoDigests' | 'lastTagTime'>;

/** PutImageRefs are the references to point at an image in the same atomic change that stores it. */
export interface PutImageRefs {
  /** A fully qualified `name:tag`; moved off any other image. */
  tag?: string;
  /** More fully qualified `name:tag`s (a load's names), each moved off any other image. */
  tags?: readonly string[];
  /** A fully qualified `name@digest`; moved off any other image, as Docker's pull does. */
  repoDigest?: string;
  /** When the tag was placed (ISO 8601); becomes `lastTagTime` when the tag is newly placed. */
  taggedAt?: string;
  /**
   * Record the references only onto an image stored already with every manifest given (a pull
   * that found nothing new, which holds no blobs): otherwise NOT_FOUND, and nothing changes. In
   * the same transaction as the check, so an image removed meanwhile is not brought back.
   */
  existingOnly?: boolean;
}

/** RefChange says what pointing a reference at an image did. */
export interface RefChange {
  /** True when the reference did not point at this image before. */
  changed: boolean;
  /** The image the reference pointed at before, when it was another one. */
  previousImageId?: string;
}

/** PutImageResult is the stored image after {@link MetadataStore.putImage}, and what changed. */
export interface PutImageResult {
  image: ImageRecord;
  /** True when no image with this id existed before. */
  created: boolean;
  /** True when the image existed but gained a manifest it did not have. */
  manifestAdded: boolean;
  tag?: RefChange;
  /** What pointing each of `tags` did, in order. */
  tags?: RefChange[];
  repoDigest?: RefChange;
}

/** DeletedImage is what {@link MetadataStore.deleteImage} removed. */
export interface DeletedImage {
  image: ImageRecord;
  /** Every reference (tag or digest) the image still had, sorted, all removed with it. */
  removedRefs: string[];
  /** The image's blobs (manifests, indexes, config, layers) that no remaining image refers to. */
  releasedBlobs: string[];
}

/** DeleteImageOptions qualify {@link MetadataStore.deleteImage}. */
export interface DeleteImageOptions {
  /** Delete only when the image has no tag or digest reference left (checked inside the change). */
  onlyIfUnreferenced?: boolean;
}

/**
 * MetadataStore is the port of the metadata service's database: images keyed by id (the config
 * digest), the references (tags `name:tag` and digest references `name@digest`, always fully
 * qualified) that point at them, and which blobs each image refers to. Each method is one atomic
 * change: a reader never sees half of it, and a failed call leaves the store as it was. Errors
 * are DomainErrors: NOT_FOUND for a missing image, INVALID_ARGUMENT for a malformed id or
 * reference, CONFLICT for a state that forbids the change.
 */
/** What changed in the listing since a version (see {@link MetadataStore.listingChangesSince}). */
export interface ListingChanges {
  /** The version the listing has with these changes applied. */
  version: string;
  /** The summary of every image added or changed since, in no particular order. */
  changed: ImageSummaryRecord[];
  /** The ids of the images removed since (and not added again). */
  removed: string[];
}

export interface MetadataStore {
  /**
   * putImage stores `image`, or merges it into the stored image with the same id (manifests are
   * added by digest; `addedAt`, `created` and the config are kept), and points `refs` at it in the
   * same atomic change.
   */
  putImage(image: NewImage, refs?: PutImageRefs): Promise<PutImageResult>;
  /** getImage returns the image whose id is exactly `id`, or undefined. */
  getImage(id: string): Promise<ImageRecord | undefined>;
  /**
   * findImagesByIdPrefix returns every image whose id starts with `prefix` (a prefix of the full
   * id, `sha256:1c35`); several results mean the prefix is ambiguous. An empty hex part is refused.
   */
  findImagesByIdPrefix(prefix: string): Promise<ImageRecord[]>;
  /** findImageByTag returns the image the fully qualified `name:tag` points at, or undefined. */
  findImageByTag(tag: string): Promise<ImageRecord | undefined>;
  /** findImageByRepoDigest returns the image the fully qualified `name@digest` points at, or undefined. */
  findImageByRepoDigest(repoDigest: string): Promise<ImageRecord | undefined>;
  /** listImages returns every image, newest `created` first (ties by id). */
  listImages(): Promise<ImageRecord[]>;
  /**
   * listImageSummaries returns every image's summary columns (no manifests, no config), newest
   * `created` first (ties by id): the listing `docker images` needs, at a fraction of the bytes.
   */
  listImageSummaries(): Promise<ImageSummaryRecord[]>;
  /**
   * listingVersion names the current state of the images and references: it changes whenever
   * they may have (by any writer of the database), so a listing kept under it is current while it
   * holds. Undefined when the store cannot tell (then listings are never reused).
   */
  listingVersion(): Promise<string | undefined>;
  /**
   * listingChangesSince returns the images changed (added, retagged, relabelled) or removed since
   * listing version `known`, with the current version; undefined when the store cannot tell (a
   * version it did not give, one too old, or a store without versions): then list everything.
   */
  listingChangesSince(known: string): Promise<ListingChanges | undefined>;
  /**
   * deleteImage removes image `id` with all its references and reports the blobs it released;
   * undefined when there is no such image, or when `onlyIfUnreferenced` is set and a reference remains.
   */
  deleteImage(id: string, options?: DeleteImageOptions): Promise<DeletedImage | undefined>;
  /**
   * setTag points the fully qualified `name:tag` at image `id` (NOT_FOUND if absent), sets the
   * image's `lastTagTime` to `taggedAt`, and returns the id of the image the tag was moved off.
   */
  setTag(id: string, tag: string, taggedAt: string): Promise<string | undefined>;
  /** removeTag deletes the tag `name:tag` and returns the id of the image it pointed at, or undefined. */
  removeTag(tag: string): Promise<string | undefined>;
  /**
   * addRepoDigest points the fully qualified `name@digest` at image `id` (NOT_FOUND if absent) and
   * returns the id of the image it was moved off.
   */
  addRepoDigest(id: string, repoDigest: string): Promise<string | undefined>;
  /** removeRepoDigest deletes `name@digest` and returns the id of the image it pointed at, or undefined. */
  removeRepoDigest(repoDigest: string): Promise<string | undefined>;
  /**
   * referencedBlobs returns those of `digests` that some image refers to through a manifest, the
   * index it came from, its config or a layer, or that a repository manifest names — in input
   * order, without duplicates.
   */
  referencedBlobs(digests: readonly string[]): Promise<string[]>;
  /**
   * putManifest records (or replaces) a repository manifest — an artifact, or a manifest with a
   * subject — by `(repository, digest)`. With `imageId`, the image must exist (NOT_FOUND) and the
   * record goes when the image is deleted. Its `blobs` count as referenced (see referencedBlobs).
   * `tag` (of the same repository) is moved onto it, off any other manifest, in the same change.
   */
  putManifest(record: RepositoryManifestRecord, tag?: string): Promise<void>;
  /** getManifest returns the repository manifest `digest` of `repository`, or undefined. */
  getManifest(repository: string, digest: string): Promise<RepositoryManifestRecord | undefined>;
  /**
   * listReferrers returns the manifests of `repository` whose subject is `subject` (and whose
   * artifactType is `artifactType`, when given), oldest first: an indexed lookup, never a scan.
   */
  listReferrers(
    repository: string,
    subject: string,
    artifactType?: string,
  ): Promise<RepositoryManifestRecord[]>;
  /** deleteManifest removes a repository manifest and its tags; false when there was none. */
  deleteManifest(repository: string, digest: string): Promise<boolean>;
  /** listManifestTags lists the tags on repository manifests, of one repository or all, sorted. */
  listManifestTags(repository?: string): Promise<ManifestTagV1[]>;
  /** untagManifest removes a tag from a repository manifest; false when there was none. */
  untagManifest(repository: string, tag: string): Promise<boolean>;
  /** close releases the connection; the store is unusable afterwards. */
  close(): Promise<void>;
}
