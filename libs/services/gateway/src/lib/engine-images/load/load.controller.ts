import { Controller, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { LoadArchiveV1 } from '@stevedore/contracts';
import { DomainError, formatPlatform, normalizePlatform, parsePlatform } from '@stevedore/domain';
import { clientAbort } from '../../client-abort';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { QueryValue, one } from '../../engine/request-params';
import { writeJsonResult } from '../pull/json-stream';
import { LoadImagesUseCase } from './load.use-case';

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
    const request = loadRequestOf(one(platform));
    const signal = clientAbort(res);
    await writeJsonResult(res, req, () => this.load.execute(req, request, signal));
  }
}

/**
 * loadRequestOf reads load's `platform` parameter: the CLI's JSON OCI platform
 * (`{"architecture","os"}`), passed on as `os/arch[/variant]` once it parses as one.
 */
function loadRequestOf(raw: string | undefined): LoadArchiveV1 {
  if (raw === undefined || raw === '') return {};
  try {
    const parsed = JSON.parse(raw) as { os?: unknown; architecture?: unknown; variant?: unknown };
    if (typeof parsed.os !== 'string' || typeof parsed.architecture !== 'string')
      throw new Error('incomplete');
    const platform = normalizePlatform({
      os: parsed.os,
      architecture: parsed.architecture,
      ...(typeof parsed.variant === 'string' ? { variant: parsed.variant } : {}),
    });
    return { platform: formatPlatform(parsePlatform(formatPlatform(platform))) };
  } catch {
    throw DomainError.invalidArgument(
      `invalid platform ${raw}: expected {"os":…,"architecture":…}`,
    );
  }
}
