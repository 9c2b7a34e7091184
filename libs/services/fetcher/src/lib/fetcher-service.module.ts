import { Module } from '@nestjs/common';
import { BatchItemHandler } from './batch-item.handler';
import { BlobFetcher } from './blob-fetcher';
import { BlobLeases } from './blob-leases';
import { LeaseKeeper } from './lease-keeper';
import { UpstreamGate } from './upstream-gate';
import { FetcherHandler } from './fetcher.handler';
import { FetchBlobsUseCase } from './use-cases/fetch-blobs/fetch-blobs.use-case';
import {
  DEFAULT_RETRY,
  RETRY_OPTIONS,
  RetryOptions,
  RetryPolicy,
} from './use-cases/run-batch-item/retry-policy';
import { RunBatchItemUseCase } from './use-cases/run-batch-item/run-batch-item.use-case';

/**
 * FetcherServiceModule answers fetcher.* messages: blob fetches for pulls, and batch items. It
 * needs a RegistryClient (UpstreamModule), the BLOB_STORE port and a Bus from its composition root.
 */
@Module({
  controllers: [FetcherHandler, BatchItemHandler],
  providers: [
    BlobFetcher,
    BlobLeases,
    LeaseKeeper,
    UpstreamGate,
    FetchBlobsUseCase,
    RunBatchItemUseCase,
    { provide: RETRY_OPTIONS, useValue: DEFAULT_RETRY },
    {
      provide: RetryPolicy,
      useFactory: (options: RetryOptions) => new RetryPolicy(options),
      inject: [RETRY_OPTIONS],
    },
  ],
})
export class FetcherServiceModule {}
