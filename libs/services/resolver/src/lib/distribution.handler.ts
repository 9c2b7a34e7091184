import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DistributionInspectV1,
  INSPECT_DISTRIBUTION_V1,
  InspectDistributionV1,
} from '@stevedore/contracts';
import { InspectDistributionUseCase } from './use-cases/inspect-distribution/inspect-distribution.use-case';

/** DistributionHandler answers registry-side inspections (`GET /distribution/{name}/json`). */
@Controller()
export class DistributionHandler {
  constructor(private readonly inspect: InspectDistributionUseCase) {}

  @MessagePattern(INSPECT_DISTRIBUTION_V1)
  inspectDistribution(@Payload() request: InspectDistributionV1): Promise<DistributionInspectV1> {
    return this.inspect.execute(request);
  }
}
