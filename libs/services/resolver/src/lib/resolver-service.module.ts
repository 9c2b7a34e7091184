import { Module } from '@nestjs/common';
import { ResolverHandler } from './resolver.handler';
import { TagsHandler } from './tags.handler';
import { ListTagsUseCase } from './use-cases/list-tags/list-tags.use-case';
import { ResolveReferenceUseCase } from './use-cases/resolve-reference/resolve-reference.use-case';

/**
 * ResolverServiceModule answers resolver.* messages. It needs a RegistryClient (UpstreamModule)
 * and the BLOB_STORE port from its composition root.
 */
@Module({ controllers: [ResolverHandler, TagsHandler], providers: [ResolveReferenceUseCase, ListTagsUseCase] })
export class ResolverServiceModule {}
