/** BLOB_LINK_STORE is the injection token under which a {@link BlobLinkStore} is provided. */
export const BLOB_LINK_STORE = Symbol('BlobLinkStore');

/** BlobMembership asks whether blob `digest` is in `/v2/` repository `repository`. */
export interface BlobMembership {
  /** The `/v2/` name (`team/app`), as links and repository manifests are kept. */
  readonly repository: string;
  readonly digest: string;
  /**
   * The fully qualified store names the repository is served from (`docker.io/library/busybox`,
   * `localhost:5000/team/app`): an image with a tag or digest reference under one of them counts.
   */
  readonly names: readonly string[];
}

/**
 * BlobLinkStore keeps which blobs belong to which `/v2/` repository, as the CNCF registry's
 * per-repository links do: a blob is in a repository when it was linked there (an upload
 * completed, a mount, a pull-through pull that resolved it), when one of the repository's
 * manifests names it, or when an image recorded under one of its names refers to it. Links live
 * beside the images (the same database), so every gateway replica, restarted or not, sees them.
 * A link holds nothing from garbage collection: the blob goes once nothing references it, as in
 * the CNCF registry, and a link to a collected blob serves nothing.
 */
export interface BlobLinkStore {
  /** link links each of `digests` into `repository` (idempotent). */
  link(repository: string, digests: readonly string[]): Promise<void>;
  /** isMember answers whether the blob is in the repository (see {@link BlobLinkStore}). */
  isMember(query: BlobMembership): Promise<boolean>;
  /** close releases the connection; the store is unusable afterwards. */
  close(): Promise<void>;
}
