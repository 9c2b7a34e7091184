import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CHECK_LOGIN_V1, CheckLoginV1, LoginResultV1 } from '@stevedore/contracts';
import { CheckLoginUseCase } from './use-cases/check-login/check-login.use-case';

/** LoginHandler checks registry credentials for `docker login`. */
@Controller()
export class LoginHandler {
  constructor(private readonly login: CheckLoginUseCase) {}

  @MessagePattern(CHECK_LOGIN_V1)
  check(@Payload() request: CheckLoginV1): Promise<LoginResultV1> {
    return this.login.execute(request);
  }
}
