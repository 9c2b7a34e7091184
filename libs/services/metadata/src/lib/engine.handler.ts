import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { ENGINE_IDENTITY_V1, EngineIdentityV1 } from '@stevedore/contracts';
import { EngineIdentityUseCase } from './use-cases/engine-identity/engine-identity.use-case';

/** EngineHandler answers questions about this Stevedore as a whole (`docker info`'s `ID`). */
@Controller()
export class EngineHandler {
  constructor(private readonly identity: EngineIdentityUseCase) {}

  @MessagePattern(ENGINE_IDENTITY_V1)
  engineIdentity(): Promise<EngineIdentityV1> {
    return this.identity.execute();
  }
}
