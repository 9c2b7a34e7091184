import { Controller, Get, Param, UseFilters } from '@nestjs/common';
import { DomainError } from '@stevedore/domain';
import { InfoUseCase, SystemInfo } from './info/info.use-case';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';

/**
 * EngineObjectsController answers the lookups a type-less `docker inspect <name>` makes besides the
 * image and container ones: there are no networks, volumes or plugins here, so each is a 404 (which
 * lets the CLI move on), and `/info` reports swarm as inactive.
 */
@UseFilters(EngineExceptionFilter)
@Controller()
export class EngineObjectsController {
  constructor(private readonly infoUseCase: InfoUseCase) {}

  /** network answers `GET /networks/{id}`: never found. */
  @Get('networks/:id')
  network(@Param('id') id: string): never {
    throw DomainError.notFound(`No such network: ${id}`);
  }

  /** volume answers `GET /volumes/{name}`: never found. */
  @Get('volumes/:name')
  volume(@Param('name') name: string): never {
    throw DomainError.notFound(`No such volume: ${name}`);
  }

  /** plugin answers `GET /plugins/{name}/json`: never found. */
  @Get('plugins/*name')
  plugin(@Param('name') name: string[] | string): never {
    const path = Array.isArray(name) ? name.join('/') : name;
    throw DomainError.notFound(`No such plugin: ${path.replace(/\/json$/, '')}`);
  }

  /** info answers `GET /info` (dockerd 20.10's key set). */
  @Get('info')
  info(): Promise<SystemInfo> {
    return this.infoUseCase.execute();
  }
}
