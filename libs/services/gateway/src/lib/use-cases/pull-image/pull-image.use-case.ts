import { Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import { PULL_IMAGE_V1, PullEventV1, PullImageV1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';

/** What a pull reports, in order: where the reference resolved, each blob's progress, the image. */
export type PullEvent = PullEventV1;

/** The longest silence allowed while a pull runs (resolving, then progress events keep it alive). */
const PULL_IDLE_TIMEOUT_MS = 300_000;

/**
 * PullImageUseCase hands a pull to a fetcher, which resolves, downloads and records the image
 * (see the fetcher's PullImageUseCase), and streams its events back as they come.
 */
@Injectable()
export class PullImageUseCase {
  constructor(private readonly bus: Bus) {}

  execute(command: PullImageV1): Observable<PullEvent> {
    return this.bus.stream<PullEvent>(PULL_IMAGE_V1, command, { timeoutMs: PULL_IDLE_TIMEOUT_MS });
  }
}
