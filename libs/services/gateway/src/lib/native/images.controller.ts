import { Controller, Delete, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ImageRecord } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { clientAbort } from '../client-abort';
import { ImagesUseCases } from '../use-cases/images/images.use-cases';
import { SaveImagesUseCase } from '../use-cases/save-images/save-images.use-case';

/**
 * Native image API. References contain `/` and `:`, so everything after `/api/v1/images/` is
 * the reference (or ID), with an optional trailing `/archive`.
 */
@Controller('api/v1/images')
export class ImagesController {
  constructor(
    private readonly images: ImagesUseCases,
    private readonly saveImages: SaveImagesUseCase,
  ) {}

  @Get()
  list(): Promise<ImageRecord[]> {
    return this.images.list();
  }

  @Get('*ref')
  async get(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { ref, archive } = refOf(req);
    if (archive) return this.saveImages.execute([ref], res, clientAbort(res));
    res.json(await this.images.get(ref));
  }

  @Delete('*ref')
  remove(@Req() req: Request, @Query('force') force?: string): Promise<object> {
    return this.images.remove(refOf(req).ref, force === '1' || force === 'true');
  }
}

function refOf(req: Request): { ref: string; archive: boolean } {
  const rest = decodeURIComponent(req.path.replace(/^\/api\/v1\/images\//, ''));
  const archive = rest.endsWith('/archive');
  const ref = archive ? rest.slice(0, -'/archive'.length) : rest;
  if (!ref) throw DomainError.invalidArgument('an image reference or ID is required');
  return { ref, archive };
}
