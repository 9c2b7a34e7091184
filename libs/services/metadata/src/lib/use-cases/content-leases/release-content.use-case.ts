import { Inject, Injectable } from '@nestjs/common';
import type { ReleaseContentV1 } from '@stevedore/contracts';
import { CONTENT_LEASE_STORE, ContentLeaseStore } from '@stevedore/metadata-store';

/** ReleaseContentUseCase drops a holder's content leases: what it held is collectable again. */
@Injectable()
export class ReleaseContentUseCase {
  constructor(@Inject(CONTENT_LEASE_STORE) private readonly leases: ContentLeaseStore) {}

  async execute(command: ReleaseContentV1): Promise<{ ok: true }> {
    await this.leases.release(command.holder);
    return { ok: true };
  }
}
