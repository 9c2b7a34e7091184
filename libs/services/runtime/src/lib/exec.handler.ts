import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CREATE_EXEC_V1,
  CreateExecV1,
  ExecJsonV1,
  ExecRefV1,
  INSPECT_EXEC_V1,
  RESIZE_EXEC_V1,
  ResizeExecV1,
} from '@stevedore/contracts';
import { ExecUseCase } from './use-cases/exec.use-case';

/** ExecHandler is the runtime's bus surface for `docker exec`: create, inspect, resize. */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class ExecHandler {
  constructor(private readonly execs: ExecUseCase) {}

  @MessagePattern(CREATE_EXEC_V1)
  onCreate(@Payload() r: CreateExecV1): { Id: string } {
    return this.execs.create(r);
  }

  @MessagePattern(INSPECT_EXEC_V1)
  onInspect(@Payload() r: ExecRefV1): ExecJsonV1 {
    return this.execs.inspect(r.execId);
  }

  @MessagePattern(RESIZE_EXEC_V1)
  async onResize(@Payload() r: ResizeExecV1): Promise<object> {
    await this.execs.resize(r);
    return {};
  }
}
