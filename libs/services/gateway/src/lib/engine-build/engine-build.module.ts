import { Module } from '@nestjs/common';
import { EngineBuildPruneController } from './build-prune.controller';
import { EngineBuildController } from './build.controller';
import { BuildImageUseCase } from './build.use-case';

/**
 * EngineBuildModule is `docker build` (the classic builder's `POST /build`) and `docker builder
 * prune`. It needs IMAGE_BUILDER from its composition root (optional: without it `/build`
 * answers 503).
 */
@Module({
  controllers: [EngineBuildPruneController, EngineBuildController],
  providers: [BuildImageUseCase],
})
export class EngineBuildModule {}
