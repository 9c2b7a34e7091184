import { Module } from '@nestjs/common';
import { ResolverHandler } from './resolver.handler';
import { LoginHandler } from './login.handler';
import { SearchHandler } from './search.handler';
import { DistributionHandler } from './distribution.handler';
import { InspectDistributionUseCase } from './use-cases/inspect-distribution/inspect-distribution.use-case';
import { HeadManifestUseCase } from './use-cases/head-manifest/head-manifest.use-case';
import { ListReferrersUseCase } from './use-cases/list-referrers/list-referrers.use-case';
import { SearchCatalogsUseCase } from './use-cases/search-catalogs/search-catalogs.use-case';
import { RegistryConfigUseCase } from './use-cases/registry-config/registry-config.use-case';
import { TagsHandler } from './tags.handler';
import { CheckLoginUseCase } from './use-cases/check-login/check-login.use-case';
import { ListTagsUseCase } from './use-cases/list-tags/list-tags.use-case';
import { ResolveReferenceUseCase } from './use-cases/resolve-reference/resolve-reference.use-case';

/**
 * ResolverServiceModule answers resolver.* messages. It needs a RegistryClient (UpstreamModule)
 * and the BLOB_STORE port from its composition root.
 */
@Module({
  controllers: [ResolverHandler, TagsHandler, LoginHandler, SearchHandler, DistributionHandler],
  providers: [
    ResolveReferenceUseCase,
    ListTagsUseCase,
    CheckLoginUseCase,
    SearchCatalogsUseCase,
    InspectDistributionUseCase,
    HeadManifestUseCase,
    ListReferrersUseCase,
    RegistryConfigUseCase,
  ],
})
export class ResolverServiceModule {}
