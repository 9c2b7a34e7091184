import { Controller, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { LoadArchiveV1 } from '@stevedore/contracts';
import { formatPlatform } from '@stevedore/domain';
import { clientAbort } from '../../client-abort';
import { apiBefore } from '../../engine/api-version';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { QueryValue, jsonPlatformParam } from '../../engine/request-params';
import { writeJsonResult } from '../pull/json-stream';
import { LoadImagesUseCase } from './load.use-case';

/**
 * EngineLoadController is `docker load` (`POST /images/load?quiet&platform`, the tar as the body).
 * Like the daemon it answers 200 and reports a failed load in-stream (`errorDetail`), which the CLI
 * prints as the bare message; only a bad `platform` parameter (JSON, from API 1.48) is refused up
 * front.
 */
@UseFilters(EngineExceptionFilter)
@Controller('images')
export class EngineLoadController {
  constructor(private readonly load: LoadImagesUseCase) {}

  @Post('load')
  async loadImages(
    @Req() req: Request,
    @Res() res: Response,
    @Query('platform') platform: QueryValue,
  ): Promise<void> {
    const request = loadRequestOf(String(res.locals['apiVersion']), platform);
    const signal = clientAbort(res);
    await writeJsonResult(res, req, () => this.load.execute(req, request, signal));
  }
}

/** loadRequestOf reads load's `platform` parameter, passed on as `os/arch[/variant]`. */
function loadRequestOf(version: string, raw: QueryValue): LoadArchiveV1 {
  if (apiBefore(version, 'archivePlatform')) return {};
  const platform = jsonPlatformParam(raw);
  return platform ? { platform: formatPlatform(platform) } : {};
}
