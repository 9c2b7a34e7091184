import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CLAIM_GARBAGE_V1,
  ClaimGarbageV1,
  ClaimedGarbageV1,
  ContentLeaseV1,
  LEASE_CONTENT_V1,
  LeaseContentV1,
  METADATA_PING_V1,
  PongV1,
  RELEASE_CONTENT_V1,
  RELEASE_GARBAGE_V1,
  ReleaseContentV1,
  ReleaseGarbageV1,
} from '@stevedore/contracts';
import { LeaseContentUseCase } from './use-cases/content-leases/lease-content.use-case';
import { ReleaseContentUseCase } from './use-cases/content-leases/release-content.use-case';
import { ClaimGarbageUseCase } from './use-cases/garbage/claim-garbage.use-case';
import { ReleaseGarbageUseCase } from './use-cases/garbage/release-garbage.use-case';

/**
 * ContentHandler is where holders of content and the garbage collector meet on the bus
 * (`metadata.content.*`, `metadata.garbage.*`), plus the service's readiness ping.
 */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class ContentHandler {
  constructor(
    private readonly leaseContent: LeaseContentUseCase,
    private readonly releaseContent: ReleaseContentUseCase,
    private readonly claimGarbage: ClaimGarbageUseCase,
    private readonly releaseGarbage: ReleaseGarbageUseCase,
  ) {}

  @MessagePattern(LEASE_CONTENT_V1)
  lease(@Payload() request: LeaseContentV1): Promise<ContentLeaseV1> {
    return this.leaseContent.execute(request);
  }

  @MessagePattern(RELEASE_CONTENT_V1)
  release(@Payload() request: ReleaseContentV1): Promise<{ ok: true }> {
    return this.releaseContent.execute(request);
  }

  @MessagePattern(CLAIM_GARBAGE_V1)
  claim(@Payload() request: ClaimGarbageV1): Promise<ClaimedGarbageV1> {
    return this.claimGarbage.execute(request);
  }

  @MessagePattern(RELEASE_GARBAGE_V1)
  releaseClaim(@Payload() request: ReleaseGarbageV1): Promise<{ ok: true }> {
    return this.releaseGarbage.execute(request);
  }

  /** ping answers at once, touching no storage: a readiness probe's cheap round trip. */
  @MessagePattern(METADATA_PING_V1)
  ping(): PongV1 {
    return {};
  }
}
