import { All, Controller, HttpException, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';

/**
 * UNSERVED_AREAS are the dockerd route families Stevedore does not serve (besides containers, which
 * NoRuntimeController answers), each with the first path segment of its routes (moby's
 * api/server/router). The inspect lookups a type-less `docker inspect` makes are answered before
 * this (EngineObjectsController: 404, so the CLI moves on).
 */
export const UNSERVED_AREAS: Readonly<Record<string, string>> = {
  swarm: 'swarm',
  nodes: 'swarm nodes',
  services: 'swarm services',
  tasks: 'swarm tasks',
  secrets: 'swarm secrets',
  configs: 'swarm configs',
  plugins: 'plugins',
  volumes: 'volumes',
  networks: 'networks',
  session: 'build sessions',
  grpc: 'BuildKit',
};

const ROUTES = Object.keys(UNSERVED_AREAS).flatMap((segment) => [segment, `${segment}/*rest`]);

/**
 * UnservedRoutesController is the one rule for dockerd endpoints Stevedore does not implement: 501
 * and one message naming the area. Any other path is dockerd's router's 404 `page not found`
 * (EngineExceptionFilter).
 */
@UseFilters(EngineExceptionFilter)
@Controller()
export class UnservedRoutesController {
  @All(ROUTES)
  refuse(@Req() req: Request): never {
    const segment = req.path.split('/')[1] ?? '';
    throw new HttpException(unservedMessage(UNSERVED_AREAS[segment] ?? segment), 501);
  }
}

/** unservedMessage is the 501's one wording. */
export function unservedMessage(area: string): string {
  return `Stevedore does not implement ${area}: it serves Docker's image commands only`;
}
