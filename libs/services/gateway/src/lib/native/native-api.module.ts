import { Module } from '@nestjs/common';
import { ImagesUseCases } from '../use-cases/images/images.use-cases';
import { PullImageUseCase } from '../use-cases/pull-image/pull-image.use-case';
import { ImagesController } from './images.controller';
import { OpenApiController } from './openapi.controller';
import { PullsController } from './pulls.controller';

/** NativeApiModule is Stevedore's own REST API under `/api/v1` (OpenAPI at /api/v1/openapi.json). */
@Module({
  controllers: [OpenApiController, PullsController, ImagesController],
  providers: [PullImageUseCase, ImagesUseCases],
  exports: [PullImageUseCase, ImagesUseCases],
})
export class NativeApiModule {}
