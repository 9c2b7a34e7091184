import { Inject, Injectable } from '@nestjs/common';
import type { ClaimGarbageV1, ClaimedGarbageV1 } from '@stevedore/contracts';
import { CONTENT_LEASE_STORE, ContentLeaseStore } from '@stevedore/metadata-store';

/**
 * ClaimGarbageUseCase is the collector's question, answered and fixed in one atomic step: which of
 * these blobs no image references and no content lease holds — marked so that no lease can be taken
 * on them until the collector has deleted them and released the claim.
 */
@Injectable()
export class ClaimGarbageUseCase {
  constructor(@Inject(CONTENT_LEASE_STORE) private readonly leases: ContentLeaseStore) {}

  async execute(command: ClaimGarbageV1): Promise<ClaimedGarbageV1> {
    return {
      claimed: await this.leases.claim(command.collector, command.digests, command.ttlMs),
    };
  }
}
