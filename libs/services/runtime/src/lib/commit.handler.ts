import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { COMMIT_CONTAINER_V1, CommitContainerV1, CommitResultV1 } from '@stevedore/contracts';
import { CommitContainerUseCase } from './use-cases/commit-container.use-case';

/** CommitHandler is the runtime's bus surface for `docker commit`. */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class CommitHandler {
  constructor(private readonly commit: CommitContainerUseCase) {}

  @MessagePattern(COMMIT_CONTAINER_V1)
  onCommit(@Payload() request: CommitContainerV1): Promise<CommitResultV1> {
    return this.commit.execute(request);
  }
}
