import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { BlobProgressV1, FETCH_BLOBS_V1, FetchBlobsV1 } from '@stevedore/contracts';
import { FetchBlobsUseCase } from './use-cases/fetch-blobs/fetch-blobs.use-case';

/** FetcherHandler is the fetcher's bus surface; replies stream back as progress events. */
@Controller()
export class FetcherHandler {
  constructor(private readonly fetchBlobs: FetchBlobsUseCase) {}

  @MessagePattern(FETCH_BLOBS_V1)
  fetch(@Payload() request: FetchBlobsV1): Observable<BlobProgressV1> {
    return this.fetchBlobs.execute(request);
  }
}
