import { Module } from '@nestjs/common';
import { BatchesUseCases } from '../use-cases/batches/batches.use-cases';
import { ImagesUseCases } from '../use-cases/images/images.use-cases';
import { PullImageUseCase } from '../use-cases/pull-image/pull-image.use-case';
import { RemoveImagesUseCase } from '../use-cases/remove-images/remove-images.use-case';
import { RuntimeUsage } from '../use-cases/runtime-usage/runtime-usage';
import { SaveImagesUseCase } from '../use-cases/save-images/save-images.use-case';
import { BatchesController } from './batches.controller';
import { ImagesController } from './images.controller';
import { OpenApiController } from './openapi.controller';
import { PullsController } from './pulls.controller';

/** NativeApiModule is Stevedore's own REST API under `/api/v1` (OpenAPI at /api/v1/openapi.json). */
@Module({
  controllers: [OpenApiController, PullsController, ImagesController, BatchesController],
  providers: [
    PullImageUseCase,
    ImagesUseCases,
    BatchesUseCases,
    RemoveImagesUseCase,
    RuntimeUsage,
    SaveImagesUseCase,
  ],
  exports: [PullImageUseCase, ImagesUseCases],
})
export class NativeApiModule {}
