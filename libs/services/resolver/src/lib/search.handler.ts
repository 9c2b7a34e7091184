import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CatalogMatchesV1, SEARCH_CATALOGS_V1, SearchCatalogsV1 } from '@stevedore/contracts';
import { SearchCatalogsUseCase } from './use-cases/search-catalogs/search-catalogs.use-case';

/** SearchHandler answers catalog searches (`docker search`). */
@Controller()
export class SearchHandler {
  constructor(private readonly search: SearchCatalogsUseCase) {}

  @MessagePattern(SEARCH_CATALOGS_V1)
  find(@Payload() request: SearchCatalogsV1): Promise<CatalogMatchesV1> {
    return this.search.execute(request);
  }
}
