import { Controller, Get, Headers, Query, UseFilters } from '@nestjs/common';
import { EngineExceptionFilter } from '../../engine/engine-exception.filter';
import { QueryValue, atoiParam, one } from '../../engine/request-params';
import { SearchImagesUseCase, SearchResult } from './search.use-case';

/** EngineSearchController is `docker search` (`GET /images/search`). */
@UseFilters(EngineExceptionFilter)
@Controller('images')
export class EngineSearchController {
  constructor(private readonly search: SearchImagesUseCase) {}

  @Get('search')
  find(
    @Query('term') term: QueryValue,
    @Query('limit') limit: QueryValue,
    @Query('filters') filters: QueryValue,
    @Headers('x-registry-auth') registryAuth: string | undefined,
  ): Promise<SearchResult[]> {
    const command = {
      term: one(term),
      limit: atoiParam('limit', limit),
      filters: one(filters),
      registryAuth,
    };
    return this.search.execute(
      Object.fromEntries(Object.entries(command).filter(([, v]) => v !== undefined)),
    );
  }
}
