import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Observable } from 'rxjs';
import { PUSH_IMAGE_V1, PushEventV1, PushImageV1 } from '@stevedore/contracts';
import { PushImageUseCase } from './use-cases/push-image/push-image.use-case';

/** PushHandler streams a push's progress back to the gateway that asked for it. */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class PushHandler {
  constructor(private readonly push: PushImageUseCase) {}

  @MessagePattern(PUSH_IMAGE_V1)
  run(@Payload() request: PushImageV1): Observable<PushEventV1> {
    return this.push.execute(request);
  }
}
