import { Controller, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, Platform, normalizePlatform } from '@stevedore/domain';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { writeJsonResult } from '../pull/json-stream';
import { LoadImagesUseCase } from './load.use-case';

type QueryValue = string | string[] | undefined;
const one = (value: QueryValue): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * EngineLoadController is `docker load` (`POST /images/load?quiet&platform`, the tar as the body).
 * Like the daemon it answers 200 and reports a failed load in-stream (`errorDetail`), which the CLI
 * prints as the bare message; only a bad `platform` parameter is refused up front.
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
    const target = platformOf(one(platform));
    await writeJsonResult(res, req, () => this.load.execute(req, target));
  }
}

/** platformOf reads load's `platform` parameter: the CLI's JSON OCI platform (`{"architecture","os"}`). */
function platformOf(raw: string | undefined): Platform | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed = JSON.parse(raw) as { os?: unknown; architecture?: unknown; variant?: unknown };
    if (typeof parsed.os !== 'string' || typeof parsed.architecture !== 'string')
      throw new Error('incomplete');
    return normalizePlatform({
      os: parsed.os,
      architecture: parsed.architecture,
      ...(typeof parsed.variant === 'string' ? { variant: parsed.variant } : {}),
    });
  } catch {
    throw DomainError.invalidArgument(
      `invalid platform ${raw}: expected {"os":…,"architecture":…}`,
    );
  }
}
