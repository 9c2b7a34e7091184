import { Controller, HttpCode, HttpException, Post, Query, UseFilters } from '@nestjs/common';
import { DomainError } from '@stevedore/domain';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';
import { QueryValue, one } from '../engine/request-params';
import { unservedMessage } from '../engine-images/unserved-routes.controller';

/** BuildCachePruneReport is dockerd's answer to `POST /build/prune`. */
export interface BuildCachePruneReport {
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}

/**
 * EngineBuildPruneController answers `docker builder prune`. The classic builder keeps no cache of
 * its own — its cache is the images builds leave, which the image commands manage — so, like a
 * dockerd that only ran classic builds, there is never anything to delete. `keep-storage` is checked as
 * dockerd checks it when sent. `POST /build/cancel` cancels BuildKit builds only: 501, as for the
 * other BuildKit routes.
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

  @Post('cancel')
  cancel(): never {
    throw new HttpException(unservedMessage('BuildKit'), 501);
  }
}
