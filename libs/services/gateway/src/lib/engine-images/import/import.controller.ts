import { Controller, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ImportRootfsV1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { clientAbort } from '../../client-abort';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { writeJsonOrFail } from '../pull/json-stream';
import { QueryValue, all, one, platformParam } from '../../engine/request-params';
import { ImportImageUseCase } from './import.use-case';

/**
 * EngineImportController is `docker import` (`POST /images/create?fromSrc=…`); EngineImagesController
 * hands this route on when there is no `fromImage`. As with dockerd, whose import writes nothing before
 * the image is made, a failure (a bad `--change`, not a tar) is an HTTP error, not an in-stream one.
 */
@UseFilters(EngineExceptionFilter)
@Controller('images')
export class EngineImportController {
  constructor(private readonly importImage: ImportImageUseCase) {}

  @Post('create')
  async create(
    @Query() query: Record<string, QueryValue>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const fromSrc = one(query['fromSrc']);
    if (!fromSrc) throw DomainError.invalidArgument('fromImage or fromSrc is required');
    const request: ImportRootfsV1 = {
      fromSrc,
      changes: all(query['changes']),
      ...optional('repo', one(query['repo'])),
      ...optional('tag', one(query['tag'])),
      ...optional('message', one(query['message'])),
      ...optional('platform', platformParam(query['platform'])),
    };
    const signal = clientAbort(res);
    await writeJsonOrFail(res, req, () => this.importImage.execute(request, req, signal));
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
