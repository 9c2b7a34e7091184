import {
  DynamicModule,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { FetcherConfig } from './fetcher.config';

/**
 * AppModule is the root of the fetcher service, which downloads blobs from registries into the blob store.
 * Its message handlers arrive with the RabbitMQ consumer; for now it provides the validated
 * {@link FetcherConfig}, stays up until told to stop, and reports shutdown.
 */
@Module({})
export class AppModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('fetcher');
  private keepAlive?: NodeJS.Timeout;

  /** AppModule.forRoot builds the module around an already validated configuration. */
  static forRoot(config: FetcherConfig): DynamicModule {
    return {
      module: AppModule,
      providers: [{ provide: FetcherConfig, useValue: config }],
      exports: [FetcherConfig],
    };
  }

  /** onApplicationBootstrap holds the process open; an application context has no server to do it. */
  onApplicationBootstrap(): void {
    // Without a listening socket or consumer Node would exit right after "ready"; the interval's
    // only job is to keep the event loop alive until a shutdown signal clears it.
    this.keepAlive = setInterval(() => undefined, 2 ** 30);
  }

  /** onApplicationShutdown releases the process and logs the signal that stopped the service. */
  onApplicationShutdown(signal?: string): void {
    clearInterval(this.keepAlive);
    this.logger.log(signal === undefined ? 'fetcher stopped' : `fetcher stopped on ${signal}`);
  }
}
