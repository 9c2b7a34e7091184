import { DynamicModule, Module, Provider } from '@nestjs/common';
import { BatchItemHandler } from './batch-item.handler';
import { BlobFetcher } from './blob-fetcher';
import { BusDownloadGate } from './download-gate/bus-download-gate';
import { DOWNLOAD_GATE, DownloadCoordination } from './download-gate/download-gate';
import { LocalDownloadGate } from './download-gate/local-download-gate';
import { FetcherHandler } from './fetcher.handler';
import { FetchBlobsUseCase } from './use-cases/fetch-blobs/fetch-blobs.use-case';
import { PullImageUseCase } from './use-cases/pull-image/pull-image.use-case';
import { ResolveHeldUseCase } from './use-cases/pull-image/resolve-held.use-case';
import {
  DEFAULT_RETRY,
  RETRY_OPTIONS,
  RetryOptions,
  RetryPolicy,
} from './use-cases/run-batch-item/retry-policy';
import { RunBatchItemUseCase } from './use-cases/run-batch-item/run-batch-item.use-case';

/** FetcherServiceOptions configure {@link FetcherServiceModule.forRoot}. */
export interface FetcherServiceOptions {
  /**
   * `local` when this process runs every fetcher there is (embedded): downloads coordinate in
   * memory. `bus` for fetcher replicas: they coordinate through the metadata service.
   */
  coordination: DownloadCoordination;
}

const GATES = { local: LocalDownloadGate, bus: BusDownloadGate } as const;

/**
 * FetcherServiceModule answers fetcher.* messages: image pulls, and batch items. It needs a
 * RegistryClient (UpstreamModule), the BLOB_STORE port and a Bus from its composition root.
 */
@Module({})
export class FetcherServiceModule {
  static forRoot(options: FetcherServiceOptions): DynamicModule {
    const gate: Provider = { provide: DOWNLOAD_GATE, useClass: GATES[options.coordination] };
    return {
      module: FetcherServiceModule,
      controllers: [FetcherHandler, BatchItemHandler],
      providers: [
        gate,
        BlobFetcher,
        FetchBlobsUseCase,
        ResolveHeldUseCase,
        PullImageUseCase,
        RunBatchItemUseCase,
        { provide: RETRY_OPTIONS, useValue: DEFAULT_RETRY },
        {
          provide: RetryPolicy,
          useFactory: (options: RetryOptions) => new RetryPolicy(options),
          inject: [RETRY_OPTIONS],
        },
      ],
    };
  }
}
