import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import {
  CLAIM_GARBAGE_V1,
  ClaimedGarbageV1,
  CollectBlobsV1,
  CollectedBlobsV1,
  RELEASE_GARBAGE_V1,
} from '@stevedore/contracts';
import { Digest } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';

/**
 * How long metadata keeps a batch marked if this collector dies mid-way: holders wait for a mark,
 * so it must be short, yet longer than deleting one batch takes.
 */
const CLAIM_TTL_MS = 30_000;
/** Digests claimed (and so kept from new leases) at a time. */
const BATCH = 256;

/**
 * CollectBlobsUseCase is the garbage collector, and the only code that deletes blobs. The decision
 * is taken at delete time, by metadata, in one atomic step: a blob goes only when no image refers
 * to it and no content lease (a pull, a load in flight) holds it; while it is being deleted no new
 * lease can be taken on it, so a holder never relies on a blob that is about to vanish. The answer
 * counts exactly the blobs this call deleted.
 */
@Injectable()
export class CollectBlobsUseCase {
  private readonly prefix = `${hostname()}/${process.pid}`;

  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  async execute(command: CollectBlobsV1): Promise<CollectedBlobsV1> {
    const digests = [...new Set(command.digests)];
    const collected: CollectedBlobsV1 = { deleted: [], reclaimedBytes: 0 };
    for (let start = 0; start < digests.length; start += BATCH) {
      const part = await this.collect(digests.slice(start, start + BATCH));
      collected.deleted.push(...part.deleted);
      collected.reclaimedBytes += part.reclaimedBytes;
    }
    return collected;
  }

  /** collect claims `digests`, deletes what was claimed, and releases the claim whatever happens. */
  private async collect(digests: string[]): Promise<CollectedBlobsV1> {
    const collector = `${this.prefix}/gc-${randomUUID()}`;
    const { claimed } = await this.bus.send<ClaimedGarbageV1>(CLAIM_GARBAGE_V1, {
      collector,
      digests,
      ttlMs: CLAIM_TTL_MS,
    });
    try {
      return await this.delete(claimed);
    } finally {
      // A release that does not arrive only keeps holders waiting until the marks expire.
      await this.bus.send(RELEASE_GARBAGE_V1, { collector }).catch(() => undefined);
    }
  }

  /** delete removes each committed blob of `digests` and counts the bytes it took. */
  private async delete(digests: string[]): Promise<CollectedBlobsV1> {
    const deleted: string[] = [];
    let reclaimedBytes = 0;
    for (const digest of digests.map((d) => Digest.parse(d))) {
      const info = await this.store.stat(digest);
      if (info && (await this.store.delete(digest))) {
        deleted.push(digest.toString());
        reclaimedBytes += info.size;
      }
    }
    return { deleted, reclaimedBytes };
  }
}
