/** CONTENT_LEASE_STORE is the injection token under which a {@link ContentLeaseStore} is provided. */
export const CONTENT_LEASE_STORE = Symbol('ContentLeaseStore');

/** ContentLeaseOutcome says whether a lease was taken, or which digests a collector is deleting. */
export type ContentLeaseOutcome = { acquired: true } | { acquired: false; collecting: string[] };

/**
 * ContentLeaseStore is where the holders of content (pulls, loads: whoever relies on blobs that no
 * image record references yet) and the garbage collector meet. It is containerd's model: a lease
 * protects content while it lives; the collector decides at delete time.
 *
 * - A content lease is shared: many holders may lease one digest. It lives until its holder
 *   releases it or lets it expire (`ttlMs` after its last renewal).
 * - A claim marks digests as being collected by one collector until it releases them or lets the
 *   mark expire. A claim takes only digests that no image references and no live lease holds, and a
 *   lease is refused while one of its digests is marked: so either the holder waits until the
 *   collector is done (and then sees which blobs are gone), or the collector leaves the digest be.
 *
 * Each method is atomic with respect to the others and to the image records (see the adapters for
 * how). Expired leases and marks count as absent; adapters may sweep them lazily.
 */
export interface ContentLeaseStore {
  /**
   * lease takes (or, for the same `holder`, renews) a lease on every digest of `digests` and pushes
   * the expiry of all of `holder`'s leases to now + `ttlMs`. Refused as a whole, changing nothing it
   * did not already hold, when some digest is marked by a collector: the answer names those digests.
   */
  lease(holder: string, digests: readonly string[], ttlMs: number): Promise<ContentLeaseOutcome>;
  /** release drops every lease of `holder` (nothing when it holds none). */
  release(holder: string): Promise<void>;
  /**
   * claim marks for `collector`, until now + `ttlMs`, those of `digests` that no image references
   * (manifest, index, config or layer), no live lease holds and no other collector has marked; it
   * answers them in input order, without duplicates.
   */
  claim(collector: string, digests: readonly string[], ttlMs: number): Promise<string[]>;
  /** releaseClaim drops every mark of `collector`. */
  releaseClaim(collector: string): Promise<void>;
  /** close releases the connection; the store is unusable afterwards. */
  close(): Promise<void>;
}
