import { Connection, createConnection } from 'mongoose';
import type { ContentLeaseOutcome, ContentLeaseStore } from '../port/content-lease.port';
import { distinctDigests } from '../port/content-lease-rules';
import { guarded } from './mongo-mapping';

/** LeaseDoc is one holder's lease on one digest (`content_leases`, unique on digest + holder). */
interface LeaseDoc {
  digest: string;
  holder: string;
  expiresAt: Date;
}

/** MarkDoc says that `collector` is deleting blob `_id` (`gc_marks`: one collector per digest). */
interface MarkDoc {
  _id: string;
  collector: string;
  expiresAt: Date;
}

const DUPLICATE_KEY = 11000;

/**
 * MongoContentLeaseStore is the {@link ContentLeaseStore} for replicated metadata. It needs no
 * transaction: each side writes first and checks the other side afterwards (insert-then-check).
 * A holder upserts its leases, then looks for marks; a collector upserts its marks, then looks
 * for live leases and, after that, for images. Of a racing lease and claim on one digest, the one
 * that checks second sees the other's write, so at most one of them wins (both may back off).
 * Leases are read before images because a holder records its image before it releases: a claim
 * that finds the lease gone finds the image.
 */
export class MongoContentLeaseStore implements ContentLeaseStore {
  private constructor(
    private readonly connection: Connection,
    private readonly owns: boolean,
    private readonly now: () => Date,
  ) {}

  /** MongoContentLeaseStore.connect opens its own connection to `url` and makes its indexes. */
  static async connect(
    url: string,
    now: () => Date = () => new Date(),
    dbName?: string,
  ): Promise<MongoContentLeaseStore> {
    const connection = createConnection(url, {
      serverSelectionTimeoutMS: 10_000,
      ...(dbName ? { dbName } : {}),
    });
    return guarded(async () => {
      await connection.asPromise();
      const store = new MongoContentLeaseStore(connection, true, now);
      await store.leases.createIndex({ digest: 1, holder: 1 }, { unique: true });
      await store.leases.createIndex({ holder: 1 });
      await store.marks.createIndex({ collector: 1 });
      return store;
    });
  }

  private get leases() {
    return this.connection.collection<LeaseDoc>('content_leases');
  }

  private get marks() {
    return this.connection.collection<MarkDoc>('gc_marks');
  }

  async lease(
    holder: string,
    digests: readonly string[],
    ttlMs: number,
  ): Promise<ContentLeaseOutcome> {
    const wanted = distinctDigests(digests);
    const now = this.now();
    const expiresAt = new Date(now.getTime() + ttlMs);
    return guarded(async (): Promise<ContentLeaseOutcome> => {
      const fresh = await this.upsertLeases(holder, wanted, expiresAt);
      await this.leases.updateMany({ holder }, { $set: { expiresAt } });
      const marked = await this.marks.distinct('_id', {
        _id: { $in: wanted },
        expiresAt: { $gt: now },
      });
      if (marked.length === 0) return { acquired: true };
      const collecting = wanted.filter((d) => marked.includes(d));
      // Back out what this call added, and the leases a collector is deleting under us anyway.
      await this.leases.deleteMany({ holder, digest: { $in: [...fresh, ...collecting] } });
      return { acquired: false, collecting };
    });
  }

  async release(holder: string): Promise<void> {
    await guarded(() => this.leases.deleteMany({ holder }));
  }

  async claim(collector: string, digests: readonly string[], ttlMs: number): Promise<string[]> {
    const candidates = distinctDigests(digests);
    const now = this.now();
    return guarded(async () => {
      await this.sweep(now);
      const marked = await this.mark(collector, candidates, now, ttlMs);
      if (marked.length === 0) return [];
      const leased = await this.leases.distinct('digest', {
        digest: { $in: marked },
        expiresAt: { $gt: now },
      });
      const query = { blobs: { $in: marked } };
      const referenced = [
        ...(await this.connection.collection('images').distinct('blobs', query)),
        // Repository manifests (artifacts) hold their blobs as images do.
        ...(await this.connection.collection('manifests').distinct('blobs', query)),
      ];
      const refused = marked.filter((d) => leased.includes(d) || referenced.includes(d));
      if (refused.length > 0) await this.marks.deleteMany({ _id: { $in: refused }, collector });
      return marked.filter((d) => !refused.includes(d));
    });
  }

  async releaseClaim(collector: string): Promise<void> {
    await guarded(() => this.marks.deleteMany({ collector }));
  }

  async close(): Promise<void> {
    if (this.owns) await this.connection.close();
  }

  /** upsertLeases takes or renews `holder`'s lease on each digest; answers the newly taken ones. */
  private async upsertLeases(
    holder: string,
    digests: readonly string[],
    expiresAt: Date,
  ): Promise<string[]> {
    if (digests.length === 0) return [];
    const result = await this.leases.bulkWrite(
      digests.map((digest) => ({
        updateOne: { filter: { digest, holder }, update: { $set: { expiresAt } }, upsert: true },
      })),
      { ordered: false },
    );
    return digests.filter((_, index) => index in result.upsertedIds);
  }

  /**
   * mark upserts a mark per digest that is free, expired or already `collector`'s; a live mark of
   * another collector makes the upsert collide on `_id` (duplicate key), and that digest is skipped.
   */
  private async mark(
    collector: string,
    digests: readonly string[],
    now: Date,
    ttlMs: number,
  ): Promise<string[]> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const taken = await Promise.all(
      digests.map((digest) =>
        this.marks
          .updateOne(
            { _id: digest, $or: [{ collector }, { expiresAt: { $lte: now } }] },
            { $set: { collector, expiresAt } },
            { upsert: true },
          )
          .then(
            () => true,
            (error: unknown) => {
              if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
              throw error;
            },
          ),
      ),
    );
    return digests.filter((_, i) => taken[i]);
  }

  /** sweep drops expired leases and marks; they count as absent anyway, this only keeps it small. */
  private async sweep(now: Date): Promise<void> {
    await this.leases.deleteMany({ expiresAt: { $lte: now } });
    await this.marks.deleteMany({ expiresAt: { $lte: now } });
  }
}
