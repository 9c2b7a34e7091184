import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { ContainerJsonV1, CreateContainerResultV1, TopResultV1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import type { Request, Response } from 'express';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';
import { QueryValue, boolParam, one, platformParam } from '../engine/request-params';
import { goAtoi, optionalInt } from './container-params';
import { apiVersion } from './api-version-of';
import { containerApiBefore } from './mapping/container-versions';
import type { ContainerSummary } from './mapping/container-summary';
import {
  ContainerChangesUseCase,
  ChangeItem,
  ContainerPruneResponse,
  PruneContainersUseCase,
  TopContainerUseCase,
} from './use-cases/container-queries.use-cases';
import { CreateContainerUseCase } from './use-cases/create-container.use-case';
import { InspectContainerUseCase } from './use-cases/inspect-container.use-case';
import { ListContainersUseCase } from './use-cases/list-containers.use-case';
import {
  KillContainerUseCase,
  RemoveContainerUseCase,
  RenameContainerUseCase,
  ResizeContainerUseCase,
  StartContainerUseCase,
  StopCommand,
  StopContainerUseCase,
} from './use-cases/lifecycle.use-cases';

type Q = Record<string, QueryValue>;

/**
 * EngineContainersController serves the container endpoints that answer JSON or nothing: create,
 * ps, inspect, top, diff, prune and the lifecycle calls (start, stop, restart, kill, rename,
 * resize, rm). The byte streams are ContainerStreamsController's.
 */
@UseFilters(EngineExceptionFilter)
@Controller('containers')
export class EngineContainersController {
  constructor(
    private readonly createUseCase: CreateContainerUseCase,
    private readonly listUseCase: ListContainersUseCase,
    private readonly inspectUseCase: InspectContainerUseCase,
    private readonly top: TopContainerUseCase,
    private readonly changes: ContainerChangesUseCase,
    private readonly pruneUseCase: PruneContainersUseCase,
    private readonly startUseCase: StartContainerUseCase,
    private readonly stopUseCase: StopContainerUseCase,
    private readonly killUseCase: KillContainerUseCase,
    private readonly removeUseCase: RemoveContainerUseCase,
    private readonly renameUseCase: RenameContainerUseCase,
    private readonly resizeUseCase: ResizeContainerUseCase,
  ) {}

  /** create answers `POST /containers/create?name&platform` 201 {Id, Warnings}. */
  @Post('create')
  create(
    @Query() q: Q,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CreateContainerResultV1> {
    const version = apiVersion(res);
    const platform = containerApiBefore(version, 'createPlatform')
      ? undefined
      : platformParam(q['platform']);
    const name = one(q['name']);
    return this.createUseCase.execute({
      ...(name ? { name } : {}),
      ...(platform ? { platform } : {}),
      body,
      version,
    });
  }

  /** list answers `GET /containers/json?all&limit&size&filters` (`docker ps`). */
  @Get('json')
  list(@Query() q: Q): Promise<ContainerSummary[]> {
    const filters = one(q['filters']);
    return this.listUseCase.execute({
      all: boolParam(q['all']),
      limit: optionalInt(q['limit']) ?? 0,
      size: boolParam(q['size']),
      ...(filters ? { filters } : {}),
    });
  }

  /** prune answers `POST /containers/prune?filters` 200 {ContainersDeleted, SpaceReclaimed}. */
  @Post('prune')
  @HttpCode(200)
  prune(@Query('filters') filters: QueryValue): Promise<ContainerPruneResponse> {
    return this.pruneUseCase.execute(one(filters));
  }

  /** inspect answers `GET /containers/{id}/json?size`. */
  @Get(':id/json')
  inspect(
    @Param('id') id: string,
    @Query('size') size: QueryValue,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ContainerJsonV1> {
    return this.inspectUseCase.execute(id, apiVersion(res), boolParam(size));
  }

  /** topOf answers `GET /containers/{id}/top?ps_args`. */
  @Get(':id/top')
  topOf(@Param('id') id: string, @Query('ps_args') psArgs: QueryValue): Promise<TopResultV1> {
    return this.top.execute(id, one(psArgs));
  }

  /** changesOf answers `GET /containers/{id}/changes` (`docker diff`). */
  @Get(':id/changes')
  changesOf(@Param('id') id: string): Promise<ChangeItem[] | null> {
    return this.changes.execute(id);
  }

  /** start answers 204, or 304 when the container already runs; a body is refused as dockerd. */
  @Post(':id/start')
  async start(
    @Param('id') id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const length = req.headers['content-length'];
    if (
      (length !== undefined && Number(length) > 7) ||
      req.headers['transfer-encoding'] !== undefined
    )
      throw DomainError.invalidArgument(
        'starting container with non-empty request body was deprecated since API v1.22 and removed in v1.24',
      );
    res.status((await this.startUseCase.execute(id)) ? 204 : 304);
  }

  /** stop answers 204, or 304 when the container was not running. */
  @Post(':id/stop')
  async stop(
    @Param('id') id: string,
    @Query() q: Q,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    res.status((await this.stopUseCase.stop(stopCommand(id, q, res))) ? 204 : 304);
  }

  /** restart answers 204. */
  @Post(':id/restart')
  @HttpCode(204)
  restart(
    @Param('id') id: string,
    @Query() q: Q,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    return this.stopUseCase.restart(stopCommand(id, q, res));
  }

  /** kill answers 204 (`signal`, default the runtime's SIGKILL). */
  @Post(':id/kill')
  @HttpCode(204)
  kill(@Param('id') id: string, @Query('signal') signal: QueryValue): Promise<void> {
    return this.killUseCase.execute(id, one(signal));
  }

  /** rename answers 204 (`name`). */
  @Post(':id/rename')
  @HttpCode(204)
  rename(@Param('id') id: string, @Query('name') name: QueryValue): Promise<void> {
    return this.renameUseCase.execute(id, one(name) ?? '');
  }

  /** resize answers 200 (`h`, `w`: Go's Atoi errors are 400). */
  @Post(':id/resize')
  @HttpCode(200)
  resize(
    @Param('id') id: string,
    @Query('h') h: QueryValue,
    @Query('w') w: QueryValue,
  ): Promise<void> {
    return this.resizeUseCase.execute(id, goAtoi(one(h) ?? ''), goAtoi(one(w) ?? ''));
  }

  /** remove answers `DELETE /containers/{id}?force&v` 204. */
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string, @Query() q: Q): Promise<void> {
    if (boolParam(q['link'])) throw DomainError.unsupported('container links are not supported');
    return this.removeUseCase.execute(id, boolParam(q['force']), boolParam(q['v']));
  }
}

/** stopCommand reads `t` (Go Atoi) and, from API 1.42, `signal`. */
function stopCommand(id: string, q: Q, res: Response): StopCommand {
  const timeout = optionalInt(q['t']);
  const signal = containerApiBefore(apiVersion(res), 'stopSignal') ? undefined : one(q['signal']);
  return { id, ...(timeout !== undefined ? { timeout } : {}), ...(signal ? { signal } : {}) };
}
