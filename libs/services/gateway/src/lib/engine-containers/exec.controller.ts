import {
  Body,
  Controller,
  Get,
  HttpCode,
  Logger,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { ExecJsonV1 } from '@stevedore/contracts';
import type { Request, Response } from 'express';
import { Duplex } from 'node:stream';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';
import { QueryValue, one } from '../engine/request-params';
import { apiVersion } from './api-version-of';
import { goAtoi } from './container-params';
import { runSession } from './hijack/hijack';
import { streamContentType } from './mapping/container-versions';
import { ContainerStreamsUseCase } from './use-cases/container-streams.use-case';
import { ExecUseCases } from './use-cases/exec.use-cases';

/** ExecStartBody is `POST /exec/{id}/start`'s body (`ConsoleSize` is the runtime's, via resize). */
interface ExecStartBody {
  Detach?: boolean;
  Tty?: boolean;
}

/** A connection for a detached exec: its output goes nowhere, as with dockerd. */
function discard(): Duplex {
  // No stdin (ended at once); output is accepted and dropped.
  const conn = new Duplex({ read: () => undefined, write: (_chunk, _enc, done) => done() });
  conn.push(null);
  return conn;
}

/**
 * EngineExecController serves `docker exec`: create on the container (201 {Id}), start
 * (hijacked like attach; detached, a 200 once it started), resize and inspect.
 */
@UseFilters(EngineExceptionFilter)
@Controller()
export class EngineExecController {
  private readonly logger = new Logger('gateway');

  constructor(
    private readonly exec: ExecUseCases,
    private readonly streams: ContainerStreamsUseCase,
  ) {}

  /** create answers `POST /containers/{id}/exec` 201 {Id}. */
  @Post('containers/:id/exec')
  create(@Param('id') id: string, @Body() body: unknown): Promise<{ Id: string }> {
    return this.exec.create(id, body);
  }

  /** start answers `POST /exec/{id}/start`: the session on the hijacked connection. */
  @Post('exec/:id/start')
  async start(
    @Param('id') execId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { Detach = false, Tty = false } = (body ?? {}) as ExecStartBody;
    const session = await this.streams.execStart(execId, {
      detach: Detach === true,
      tty: Tty === true,
    });
    if (Detach === true) {
      session
        .run(discard())
        .catch((err: unknown) => this.logger.warn(`detached exec ${execId}: ${String(err)}`));
      res.status(200).end();
      return;
    }
    await runSession(session, req, res, streamContentType(session.tty, apiVersion(res)));
  }

  /** resize answers `POST /exec/{id}/resize?h&w` 200. */
  @Post('exec/:id/resize')
  @HttpCode(200)
  resize(
    @Param('id') execId: string,
    @Query('h') h: QueryValue,
    @Query('w') w: QueryValue,
  ): Promise<void> {
    return this.exec.resize(execId, goAtoi(one(h) ?? ''), goAtoi(one(w) ?? ''));
  }

  /** inspect answers `GET /exec/{id}/json`. */
  @Get('exec/:id/json')
  inspect(@Param('id') execId: string): Promise<ExecJsonV1> {
    return this.exec.inspect(execId);
  }
}
