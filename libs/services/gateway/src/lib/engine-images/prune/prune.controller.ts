import { Controller, Get, HttpCode, Post, Query, UseFilters } from '@nestjs/common';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { SystemDataUsage, SystemDfUseCase } from '../system-df/system-df.use-case';
import { ImagePruneResponse, PruneImagesUseCase } from './prune.use-case';

type QueryValue = string | string[] | undefined;
const one = (value: QueryValue): string | undefined => (Array.isArray(value) ? value[0] : value);

/** EngineSpaceController answers `docker image prune` and `docker system df`. */
@UseFilters(EngineExceptionFilter)
@Controller()
export class EngineSpaceController {
  constructor(
    private readonly prune: PruneImagesUseCase,
    private readonly df: SystemDfUseCase,
  ) {}

  @Post('images/prune')
  @HttpCode(200)
  pruneImages(@Query('filters') filters: QueryValue): Promise<ImagePruneResponse> {
    return this.prune.execute(one(filters));
  }

  @Get('system/df')
  systemDf(): Promise<SystemDataUsage> {
    return this.df.execute();
  }
}
