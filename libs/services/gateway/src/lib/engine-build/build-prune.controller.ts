import { Controller, HttpCode, Post, Query, UseFilters } from '@nestjs/common';
import { DomainError } from '@stevedore/domain';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';
import { QueryValue, one } from '../engine/request-params';

/** BuildCachePruneReport is dockerd's answer to `POST /build/prune`. */
export interface BuildCachePruneReport {
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}

/**
 * EngineBuildPruneController answers `docker builder prune`. The classic builder keeps no cache of
 * its own — its cache is the intermediate images, which `image prune` removes — so, like a dockerd
 * that only ran classic builds, there is never anything to delete. `keep-storage` is checked as
 * dockerd checks it when sent.
 */
@UseFilters(EngineExceptionFilter)
@Controller('build')
export class EngineBuildPruneController {
  @Post('prune')
  @HttpCode(200)
  prune(@Query('keep-storage') keepStorage: QueryValue): BuildCachePruneReport {
    const keep = one(keepStorage);
    if (keep !== undefined && keep !== '' && !/^[+-]?\d+$/.test(keep))
      throw DomainError.invalidArgument(
        `keep-storage is in bytes and expects an integer, got ${keep}`,
      );
    return { CachesDeleted: null, SpaceReclaimed: 0 };
  }
}
