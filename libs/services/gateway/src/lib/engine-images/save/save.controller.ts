import { Controller, Get, Next, Query, Req, Res, UseFilters } from '@nestjs/common';
import { DomainError, formatPlatform } from '@stevedore/domain';
import type { NextFunction, Request, Response } from 'express';
import { apiBefore } from '../../engine/api-version';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { QueryValue, jsonPlatformParam } from '../../engine/request-params';
import { clientAbort } from '../../client-abort';
import { SaveImagesUseCase } from '../../use-cases/save-images/save-images.use-case';
import { parseImagePath } from '../image-path';

/**
 * EngineSaveController is `docker save`: `GET /images/get?names=…` (several names) and
 * `GET /images/{name}/get`, one tar that is both a docker-save archive and an OCI layout; from API
 * 1.48 `platform` (JSON) picks which platform's manifest is saved.
 */
@UseFilters(EngineExceptionFilter)
@Controller('images')
export class EngineSaveController {
  constructor(private readonly saveImages: SaveImagesUseCase) {}

  @Get('get')
  saveMany(
    @Query('names') names: QueryValue,
    @Query('platform') platform: QueryValue,
    @Res() res: Response,
  ): Promise<void> {
    const list = (Array.isArray(names) ? names : names === undefined ? [] : [names]).filter(
      (n) => n !== '',
    );
    if (list.length === 0) throw DomainError.invalidArgument('no image names were given to save');
    return this.saveImages.execute(list, res, clientAbort(res), platformOf(res, platform));
  }

  @Get('*name')
  saveOne(
    @Req() req: Request,
    @Res() res: Response,
    @Next() next: NextFunction,
  ): Promise<void> | void {
    const { name, action } = parseImagePath(req.path, ['get']);
    if (action !== 'get') return next();
    const platform = platformOf(res, req.query['platform'] as QueryValue);
    return this.saveImages.execute([name], res, clientAbort(res), platform);
  }
}

/** platformOf reads save's `platform` as `os/arch[/variant]`; dockerd ignores it below 1.48. */
function platformOf(res: Response, raw: QueryValue): string | undefined {
  if (apiBefore(String(res.locals['apiVersion']), 'archivePlatform')) return undefined;
  const platform = jsonPlatformParam(raw);
  return platform ? formatPlatform(platform) : undefined;
}
