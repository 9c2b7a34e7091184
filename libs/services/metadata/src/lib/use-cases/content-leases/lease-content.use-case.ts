import { Inject, Injectable } from '@nestjs/common';
import type { ContentLeaseV1, LeaseContentV1 } from '@stevedore/contracts';
import { CONTENT_LEASE_STORE, ContentLeaseStore } from '@stevedore/metadata-store';

/**
 * LeaseContentUseCase protects content a holder (a pull, a load) relies on before an image record
 * refers to it: taken or renewed, or refused while a collector is deleting some of it.
 */
@Injectable()
export class LeaseContentUseCase {
  constructor(@Inject(CONTENT_LEASE_STORE) private readonly leases: ContentLeaseStore) {}

  execute(command: LeaseContentV1): Promise<ContentLeaseV1> {
    return this.leases.lease(command.holder, command.digests, command.ttlMs);
  }
}
