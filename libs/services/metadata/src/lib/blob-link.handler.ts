import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BLOB_MEMBER_V1,
  BlobMemberResultV1,
  BlobMemberV1,
  LINK_BLOBS_V1,
  LinkBlobsResultV1,
  LinkBlobsV1,
} from '@stevedore/contracts';
import { BlobMemberUseCase, LinkBlobsUseCase } from './use-cases/blob-links/blob-link.use-cases';

/** BlobLinkHandler serves `metadata.blob.*`: which blobs each `/v2/` repository holds. */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class BlobLinkHandler {
  constructor(
    private readonly linkBlobs: LinkBlobsUseCase,
    private readonly blobMember: BlobMemberUseCase,
  ) {}

  @MessagePattern(LINK_BLOBS_V1)
  link(@Payload() request: LinkBlobsV1): Promise<LinkBlobsResultV1> {
    return this.linkBlobs.execute(request);
  }

  @MessagePattern(BLOB_MEMBER_V1)
  member(@Payload() request: BlobMemberV1): Promise<BlobMemberResultV1> {
    return this.blobMember.execute(request);
  }
}
