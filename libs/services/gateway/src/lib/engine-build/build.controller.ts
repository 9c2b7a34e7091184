import { Controller, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { BuildContext } from '@stevedore/runtime-http';
import type { Request, Response } from 'express';
import { clientAbort } from '../client-abort';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';
import type { QueryValue } from '../engine/request-params';
import { apiVersion } from '../engine-containers/api-version-of';
import { buildRequestOf } from './build-request';
import { BuildImageUseCase } from './build.use-case';
import { relayMessages } from './relay-messages';

/**
 * drainingOnRefusal runs `start`; when it refuses, the unread context is drained so the client,
 * still sending it, reads the error instead of a broken pipe.
 */
async function drainingOnRefusal<T>(req: Request, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    req.resume();
    throw err;
  }
}

/** contextOf is the body and `X-Registry-Config`, kept only when sent (a secret: never logged). */
function contextOf(req: Request): BuildContext {
  const registryConfig = req.header('x-registry-config');
  return registryConfig ? { body: req, registryConfig } : { body: req };
}

/**
 * EngineBuildController is `docker build` with the classic builder (`POST /build`, the context
 * tar as the body). A bad parameter or a build that cannot start is a status and `{"message"}`;
 * once the build runs, its answer is Docker's JSON message stream, failures included.
 */
@UseFilters(EngineExceptionFilter)
@Controller('build')
export class EngineBuildController {
  constructor(private readonly build: BuildImageUseCase) {}

  @Post()
  async buildImage(
    @Query() query: Record<string, QueryValue>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const signal = clientAbort(res);
    const messages = await drainingOnRefusal(req, () =>
      this.build.execute(buildRequestOf(query, apiVersion(res)), contextOf(req), signal),
    );
    await relayMessages(messages, res, signal);
  }
}
