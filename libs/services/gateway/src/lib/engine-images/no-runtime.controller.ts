import { All, Controller, HttpException, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '@stevedore/domain';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';

/**
 * NoRuntimeController answers every container endpoint that needs a runtime (create, start, run,
 * ps, exec, logs, …) with 501 and a message that says why, so `docker run busybox` fails clearly
 * instead of with a confusing 404. `GET /containers/{id}/json` is a 404 `No such container` (any id,
 * image names with `/` and `:` included), which type-less `docker inspect` needs to move on.
 */
@UseFilters(EngineExceptionFilter)
@Controller('containers')
export class NoRuntimeController {
  @All(['', '*rest'])
  refuse(@Req() req: Request): never {
    const lookup = /^\/containers\/(.+)\/json$/.exec(req.path);
    if (req.method === 'GET' && lookup?.[1])
      throw DomainError.notFound(`No such container: ${decodeURIComponent(lookup[1])}`);
    throw new HttpException(
      'Stevedore has no container runtime: it serves Docker image commands only (pull, images, save, load, push, …)',
      501,
    );
  }
}
