import { Controller, Get, Headers, Next, Req, Res, UseFilters } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { parseImagePath } from '../image-path';
import { InspectDistributionUseCase } from './distribution.use-case';

/** EngineDistributionController is `GET /distribution/{name}/json` (names contain `/`, matched greedily). */
@UseFilters(EngineExceptionFilter)
@Controller('distribution')
export class EngineDistributionController {
  constructor(private readonly inspect: InspectDistributionUseCase) {}

  @Get('*name')
  async get(
    @Req() req: Request,
    @Res() res: Response,
    @Next() next: NextFunction,
    @Headers('x-registry-auth') registryAuth: string | undefined,
  ): Promise<void> {
    const { name, action } = parseImagePath(req.path, ['json'], 'distribution');
    if (action !== 'json') return next();
    res.json(await this.inspect.execute(name, registryAuth));
  }
}
