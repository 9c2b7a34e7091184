import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RUNTIME_INFO_V1, type RuntimeInfoV1 } from '@stevedore/contracts';
import { RuntimeInfoUseCase } from './use-cases/runtime-info.use-case';

/** InfoHandler is the runtime's bus surface for `docker info`. */
@Controller()
export class InfoHandler {
  constructor(private readonly info: RuntimeInfoUseCase) {}

  @MessagePattern(RUNTIME_INFO_V1)
  onInfo(): Promise<RuntimeInfoV1> {
    return this.info.execute();
  }
}
