import { Controller, Get, NotFoundException, Req, UseFilters } from '@nestjs/common';
import { DomainError } from '@stevedore/domain';
import type { Request } from 'express';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';

/**
 * ContainerLookupController answers, after every other container route, a `GET
 * /containers/<name>/json` whose name no container can have (`docker inspect 127.0.0.1:5000/x:1`
 * asks with the image's name): 404 `No such container: <name>`, so type-less inspect moves on.
 */
@UseFilters(EngineExceptionFilter)
@Controller('containers')
export class ContainerLookupController {
  @Get('*rest')
  lookup(@Req() req: Request): never {
    const name = /^\/containers\/(.+)\/json$/.exec(req.path)?.[1];
    if (name) throw DomainError.notFound(`No such container: ${decodeURIComponent(name)}`);
    throw new NotFoundException();
  }
}
