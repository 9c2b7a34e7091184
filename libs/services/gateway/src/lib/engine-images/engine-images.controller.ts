import {
  Controller,
  Delete,
  Get,
  Headers,
  Next,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { DeleteResponseItem } from './engine-types';
import { ImageHistoryUseCase } from './history/history.use-case';
import { parseImagePath } from './image-path';
import { InspectImageUseCase } from './inspect/inspect.use-case';
import { listingJson } from './list/image-listing';
import { ListImagesUseCase } from './list/list.use-case';
import { writeJsonStream } from './pull/json-stream';
import { PullUseCase } from './pull/pull.use-case';
import { RemoveImageUseCase } from './remove/remove.use-case';
import { TagImageUseCase } from './tag/tag.use-case';
import { apiBefore } from '../engine/api-version';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';
import {
  QueryValue,
  boolParam,
  jsonPlatformParam,
  one,
  platformParam,
} from '../engine/request-params';

/**
 * EngineImagesController serves the Engine API image endpoints the docker CLI uses for pull,
 * images, inspect, history, tag and rmi. Image names contain `/` and `:`, so routes match greedily
 * and a path whose trailing action is not one of these is handed on to other routes (`push`, `get`).
 */
@UseFilters(EngineExceptionFilter)
@Controller('images')
export class EngineImagesController {
  constructor(
    private readonly pull: PullUseCase,
    private readonly list: ListImagesUseCase,
    private readonly inspect: InspectImageUseCase,
    private readonly history: ImageHistoryUseCase,
    private readonly tag: TagImageUseCase,
    private readonly remove: RemoveImageUseCase,
  ) {}

  /** create pulls `fromImage` (`tag`, `platform`), streaming Docker's progress messages. */
  @Post('create')
  create(
    @Query() query: Record<string, QueryValue>,
    @Headers('x-registry-auth') registryAuth: string | undefined,
    @Res() res: Response,
    @Next() next: NextFunction,
  ): Promise<void> | void {
    // `fromSrc` is an import, which is not this controller's business.
    if (one(query['fromImage']) === undefined && one(query['fromSrc']) !== undefined) return next();
    const command = {
      fromImage: one(query['fromImage']),
      tag: one(query['tag']),
      platform: platformParam(query['platform']),
      registryAuth,
    };
    return writeJsonStream(res, this.pull.execute(command));
  }

  /**
   * images answers `GET /images/json` (filters applied here; `all`/`digests` need nothing more).
   * Below API 1.41 the legacy `filter=<pattern>` counts as a `reference` filter; dockerd ignores it after.
   * From 1.47 `manifests=1` adds each image's `Manifests`.
   */
  @Get('json')
  async images(@Query() query: Record<string, QueryValue>, @Res() res: Response): Promise<void> {
    const version = String(res.locals['apiVersion']);
    const list = await this.list.execute({
      filters: one(query['filters']),
      legacyFilter: apiBefore(version, 'legacyListFilter') ? one(query['filter']) : undefined,
      manifests: !apiBefore(version, 'listManifests') && boolParam(query['manifests']),
      countContainers: !apiBefore(version, 'listContainersCount'),
      virtualSize: apiBefore(version, 'inspectVirtualSize'),
    });
    res.type('json').send(listingJson(list));
  }

  /**
   * get answers `GET /images/{name}/json` (inspect; `platform` from API 1.49) and
   * `GET /images/{name}/history`.
   */
  @Get('*name')
  async get(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction): Promise<void> {
    const { name, action } = parseImagePath(req.path, ['json', 'history']);
    const version = String(res.locals['apiVersion']);
    const platform = apiBefore(version, 'inspectPlatform')
      ? undefined
      : jsonPlatformParam(req.query['platform'] as QueryValue);
    if (action === 'json') res.json(await this.inspect.execute(name, version, platform));
    else if (action === 'history') res.json(await this.history.execute(name));
    else next();
  }

  /** tagImage answers `POST /images/{name}/tag?repo&tag` with 201 and no body. */
  @Post('*name')
  async tagImage(
    @Req() req: Request,
    @Res() res: Response,
    @Next() next: NextFunction,
  ): Promise<void> {
    const { name, action } = parseImagePath(req.path, ['tag']);
    if (action !== 'tag') return next();
    await this.tag.execute({
      name,
      repo: one(req.query['repo'] as QueryValue),
      tag: one(req.query['tag'] as QueryValue),
    });
    res.status(201).end();
  }

  /** removeImage answers `DELETE /images/{name}?force&noprune` with the Untagged/Deleted items. */
  @Delete('*name')
  removeImage(
    @Req() req: Request,
    @Query('force') force: QueryValue,
  ): Promise<DeleteResponseItem[]> {
    return this.remove.execute({
      name: parseImagePath(req.path, []).name,
      force: boolParam(force),
    });
  }
}
