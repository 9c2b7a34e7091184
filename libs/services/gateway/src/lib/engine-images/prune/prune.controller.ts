import { Controller, Get, HttpCode, Post, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { compareApiVersions } from '../../engine/api-version';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { QueryValue, enumParams, one } from '../../engine/request-params';
import { SystemDataUsage, SystemDfUseCase } from '../system-df/system-df.use-case';
import { ImagePruneResponse, PruneImagesUseCase } from './prune.use-case';

// The daemon's DiskUsageObject values.
const DF_TYPES = ['container', 'image', 'volume', 'build-cache'] as const;

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

  /** systemDf answers `GET /system/df`; from API 1.42 on, `type` must name known object types. */
  @Get('system/df')
  systemDf(
    @Query('type') type: QueryValue,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SystemDataUsage> {
    const version = String(res.locals['apiVersion']);
    if (compareApiVersions(version, '1.42') >= 0) enumParams(type, DF_TYPES, 'unknown object type');
    return this.df.execute(version);
  }
}
