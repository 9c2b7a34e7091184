import { All, Controller, HttpException, UseFilters } from '@nestjs/common';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';

/**
 * NoRuntimeController answers every container endpoint that needs a runtime (create, start, run,
 * ps, exec, logs, …) with 501 and a message that says why, so `docker run busybox` fails clearly
 * instead of with a confusing 404. `GET /containers/{id}/json` stays a 404 (EngineObjectsController),
 * which type-less `docker inspect` needs; Nest matches that more specific route first.
 */
@UseFilters(EngineExceptionFilter)
@Controller('containers')
export class NoRuntimeController {
  @All(['', '*rest'])
  refuse(): never {
    throw new HttpException('Stevedore has no container runtime: it serves Docker image commands only (pull, images, save, load, push, …)', 501);
  }
}
