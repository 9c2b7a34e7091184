import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError } from '@stevedore/domain';
import { BuildContext, BuildRequest, IMAGE_BUILDER, ImageBuilder } from '@stevedore/runtime-http';
import type { Readable } from 'node:stream';

/**
 * BuildImageUseCase is `docker build` at the edge: the validated request and the context stream
 * go to the ImageBuilder of the runtime that owns containers (itself when embedded, an HTTP
 * client of it in a cluster), whose stream of Docker's JSON messages the gateway relays. A
 * gateway composed without one answers 503, as for the container streams.
 */
@Injectable()
export class BuildImageUseCase {
  constructor(@Optional() @Inject(IMAGE_BUILDER) private readonly builder?: ImageBuilder) {}

  execute(request: BuildRequest, context: BuildContext, signal: AbortSignal): Promise<Readable> {
    if (!this.builder)
      throw new DomainError('UNAVAILABLE', 'this gateway reaches no image builder');
    return this.builder.build(request, context, signal);
  }
}
