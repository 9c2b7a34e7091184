import {
  Controller,
  Get,
  Head,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { PathStat } from '@stevedore/runtime-http';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { clientAbort } from '../client-abort';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';
import { QueryValue, boolParam, one } from '../engine/request-params';
import { apiVersion } from './api-version-of';
import { attachOptions, logsOptions } from './container-params';
import { runSession } from './hijack/hijack';
import { containerApiBefore, streamContentType } from './mapping/container-versions';
import { ContainerStreamsUseCase } from './use-cases/container-streams.use-case';
import { answerWait } from './use-cases/answer-wait';
import { WaitContainerUseCase, waitCondition } from './use-cases/wait-container.use-case';

type Q = Record<string, QueryValue>;

function statHeader(stat: PathStat): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}

/**
 * ContainerStreamsController serves the container endpoints that stream: attach (hijacked),
 * wait, logs, `docker cp` (`/archive`) and export. Each asks the runtime first, so a missing
 * container or a refusal is still an ordinary JSON error; the stream starts only after.
 */
@UseFilters(EngineExceptionFilter)
@Controller('containers')
export class ContainerStreamsController {
  constructor(
    private readonly streams: ContainerStreamsUseCase,
    private readonly waitUseCase: WaitContainerUseCase,
  ) {}

  /** attach answers `POST /containers/{id}/attach`: 101 (or 200) and the container's stdio. */
  @Post(':id/attach')
  async attach(
    @Param('id') id: string,
    @Query() q: Q,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const session = await this.streams.attach(id, attachOptions(q));
    await runSession(session, req, res, streamContentType(session.tty, apiVersion(res)));
  }

  /** logs answers `GET /containers/{id}/logs`: raw for a TTY, else multiplexed (raw below 1.42). */
  @Get(':id/logs')
  async logs(@Param('id') id: string, @Query() q: Q, @Res() res: Response): Promise<void> {
    const { tty, body } = await this.streams.logs(id, logsOptions(q, Date.now()), clientAbort(res));
    res.status(200).setHeader('Content-Type', streamContentType(tty, apiVersion(res)));
    await pipeline(body, res);
  }

  /** wait answers `POST /containers/{id}/wait?condition`: headers at once, then {Error, StatusCode}. */
  @Post(':id/wait')
  async wait(
    @Param('id') id: string,
    @Query('condition') condition: QueryValue,
    @Res() res: Response,
  ): Promise<void> {
    const legacy = containerApiBefore(apiVersion(res), 'waitCondition');
    const events = this.waitUseCase.execute(
      id,
      legacy ? 'not-running' : waitCondition(one(condition)),
    );
    await answerWait(res, events, !legacy);
  }

  /** stat answers `HEAD /containers/{id}/archive?path` with the path's stat header. */
  @Head(':id/archive')
  async stat(
    @Param('id') id: string,
    @Query('path') path: QueryValue,
    @Res() res: Response,
  ): Promise<void> {
    const stat = await this.streams.statPath(id, one(path) ?? '');
    res.status(200).setHeader('X-Docker-Container-Path-Stat', statHeader(stat)).end();
  }

  /** getArchive answers `GET /containers/{id}/archive?path`: a tar of the path, stat in a header. */
  @Get(':id/archive')
  async getArchive(
    @Param('id') id: string,
    @Query('path') path: QueryValue,
    @Res() res: Response,
  ): Promise<void> {
    const { stat, body } = await this.streams.getArchive(id, one(path) ?? '', clientAbort(res));
    res.status(200).setHeader('X-Docker-Container-Path-Stat', statHeader(stat));
    res.setHeader('Content-Type', 'application/x-tar');
    await pipeline(body, res);
  }

  /** putArchive answers `PUT /containers/{id}/archive?path&noOverwriteDirNonDir&copyUIDGID` 200. */
  @Put(':id/archive')
  async putArchive(
    @Param('id') id: string,
    @Query() q: Q,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const options = {
      path: one(q['path']) ?? '',
      noOverwriteDirNonDir: boolParam(q['noOverwriteDirNonDir']),
      copyUIDGID: boolParam(q['copyUIDGID']),
    };
    await this.streams.putArchive(id, options, req, clientAbort(res));
    res.status(200).end();
  }

  /** export answers `GET /containers/{id}/export`: the container's filesystem as a tar. */
  @Get(':id/export')
  async export(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const body = await this.streams.export(id, clientAbort(res));
    res.status(200).setHeader('Content-Type', 'application/x-tar');
    await pipeline(body, res);
  }
}
