import { Inject, Injectable } from '@nestjs/common';
import type { ReleaseGarbageV1 } from '@stevedore/contracts';
import { CONTENT_LEASE_STORE, ContentLeaseStore } from '@stevedore/metadata-store';

/** ReleaseGarbageUseCase ends a collection: waiting holders may lease those digests again. */
@Injectable()
export class ReleaseGarbageUseCase {
  constructor(@Inject(CONTENT_LEASE_STORE) private readonly leases: ContentLeaseStore) {}

  async execute(command: ReleaseGarbageV1): Promise<{ ok: true }> {
    await this.leases.releaseClaim(command.collector);
    return { ok: true };
  }
}
