import { Controller, Get, Next, Query, Req, Res, UseFilters } from '@nestjs/common';
import { DomainError, formatPlatform } from '@stevedore/domain';
import type { NextFunction, Request, Response } from 'express';
import { apiBefore } from '../../engine/api-version';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { QueryValue, jsonPlatformParam } from '../../engine/request-params';
import { clientAbort } from '../../client-abort';
import { SaveImagesUseCase } from '../../use-cases/save-images/save-images.use-case';
import { imageEvent } from '../events/engine-event';
import { EventLog } from '../events/event-log';
import { parseImagePath } from '../image-path';
import { GET_IMAGE_V1, ImageRecord } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';

/**
 * EngineSaveController is `docker save`: `GET /images/get?names=…` (several names) and
 * `GET /images/{name}/get`, one tar that is both a docker-save archive and an OCI layout; from API
 * 1.48 `platform` (JSON) picks which platform's manifest is saved.
 */
@UseFilters(EngineExceptionFilter)
@Controller('images')
export class EngineSaveController {
  constructor(
    private readonly saveImages: SaveImagesUseCase,
    private readonly bus: Bus,
    private readonly events: EventLog,
  ) {}

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
    const saving = this.saveImages.execute(list, res, clientAbort(res), platformOf(res, platform));
    return saving.then(() => this.saved(list));
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
    return this.saveImages
      .execute([name], res, clientAbort(res), platform)
      .then(() => this.saved([name]));
  }

  /** saved tells every gateway which images a save wrote (moby names each by its ID). */
  private async saved(names: string[]): Promise<void> {
    const ids = new Set<string>();
    for (const ref of names)
      await this.bus
        .send<ImageRecord>(GET_IMAGE_V1, { ref })
        .then((image) => ids.add(image.id))
        .catch(() => undefined);
    for (const id of ids) this.events.publish(imageEvent('save', id, id));
  }
}

/** platformOf reads save's `platform` as `os/arch[/variant]`; dockerd ignores it below 1.48. */
function platformOf(res: Response, raw: QueryValue): string | undefined {
  if (apiBefore(String(res.locals['apiVersion']), 'archivePlatform')) return undefined;
  const platform = jsonPlatformParam(raw);
  return platform ? formatPlatform(platform) : undefined;
}
