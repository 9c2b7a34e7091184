import { Module } from '@nestjs/common';
import { BlobFetcher } from './blob-fetcher';
import { FetcherHandler } from './fetcher.handler';
import { FetchBlobsUseCase } from './use-cases/fetch-blobs/fetch-blobs.use-case';

/**
 * FetcherServiceModule answers fetcher.* messages. It needs a RegistryClient (UpstreamModule)
 * and the BLOB_STORE port from its composition root.
 */
@Module({ controllers: [FetcherHandler], providers: [BlobFetcher, FetchBlobsUseCase] })
export class FetcherServiceModule {}
