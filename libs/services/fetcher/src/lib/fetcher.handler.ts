import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { PULL_IMAGE_V1, PullEventV1, PullImageV1 } from '@stevedore/contracts';
import { PullImageUseCase } from './use-cases/pull-image/pull-image.use-case';

/** FetcherHandler is the fetcher's bus surface; a pull's replies stream back as its events. */
@Controller()
export class FetcherHandler {
  constructor(private readonly pullImage: PullImageUseCase) {}

  @MessagePattern(PULL_IMAGE_V1)
  pull(@Payload() request: PullImageV1): Observable<PullEventV1> {
    return this.pullImage.execute(request);
  }
}
