import { Controller, Headers, Next, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { QueryValue, one } from '../../engine/request-params';
import { parseImagePath } from '../image-path';
import { writeJsonStream } from '../pull/json-stream';
import { PushUseCase } from './push.use-case';

/** EnginePushController is `docker push` (`POST /images/{name}/push?tag`), streaming Docker's push progress. */
@UseFilters(EngineExceptionFilter)
@Controller('images')
export class EnginePushController {
  constructor(private readonly push: PushUseCase) {}

  @Post('*name')
  pushImage(
    @Req() req: Request,
    @Res() res: Response,
    @Next() next: NextFunction,
    @Query('tag') tag: QueryValue,
    @Headers('x-registry-auth') registryAuth: string | undefined,
  ): Promise<void> | void {
    const { name, action } = parseImagePath(req.path, ['push']);
    if (action !== 'push') return next();
    const wanted = one(tag);
    return writeJsonStream(
      res,
      this.push.execute({
        name,
        ...(wanted ? { tag: wanted } : {}),
        ...(registryAuth ? { registryAuth } : {}),
      }),
    );
  }
}
