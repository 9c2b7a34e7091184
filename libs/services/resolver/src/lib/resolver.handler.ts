import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RESOLVE_REFERENCE_V1, ResolveReferenceV1, ResolvedImageV1 } from '@stevedore/contracts';
import { ResolveReferenceUseCase } from './use-cases/resolve-reference/resolve-reference.use-case';

/** ResolverHandler is the resolver's bus surface. */
@Controller()
export class ResolverHandler {
  constructor(private readonly resolve: ResolveReferenceUseCase) {}

  @MessagePattern(RESOLVE_REFERENCE_V1)
  resolveReference(@Payload() request: ResolveReferenceV1): Promise<ResolvedImageV1> {
    return this.resolve.execute(request);
  }
}
