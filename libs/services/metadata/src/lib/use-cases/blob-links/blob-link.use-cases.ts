import { Inject, Injectable } from '@nestjs/common';
import type {
  BlobMemberResultV1,
  BlobMemberV1,
  LinkBlobsResultV1,
  LinkBlobsV1,
} from '@stevedore/contracts';
import { BLOB_LINK_STORE, BlobLinkStore } from '@stevedore/metadata-store';

/** LinkBlobsUseCase links blobs into a `/v2/` repository (an upload, a mount, a pull-through). */
@Injectable()
export class LinkBlobsUseCase {
  constructor(@Inject(BLOB_LINK_STORE) private readonly links: BlobLinkStore) {}

  async execute(request: LinkBlobsV1): Promise<LinkBlobsResultV1> {
    await this.links.link(request.repository, request.digests);
    return { linked: true };
  }
}

/** BlobMemberUseCase answers whether a blob is in a `/v2/` repository, from indexed lookups. */
@Injectable()
export class BlobMemberUseCase {
  constructor(@Inject(BLOB_LINK_STORE) private readonly links: BlobLinkStore) {}

  async execute(request: BlobMemberV1): Promise<BlobMemberResultV1> {
    return { member: await this.links.isMember(request) };
  }
}

export const BLOB_LINK_USE_CASES = [LinkBlobsUseCase, BlobMemberUseCase];
