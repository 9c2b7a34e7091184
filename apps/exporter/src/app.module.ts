import {
  DynamicModule,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ExporterConfig } from './exporter.config';

/**
 * AppModule is the root of the exporter service, which moves images out (save, push) and in (load, import).
 * Its message handlers arrive with the RabbitMQ consumer; for now it provides the validated
 * {@link ExporterConfig}, stays up until told to stop, and reports shutdown.
 */
@Module({})
export class AppModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('exporter');
  private keepAlive?: NodeJS.Timeout;

  /** AppModule.forRoot builds the module around an already validated configuration. */
  static forRoot(config: ExporterConfig): DynamicModule {
    return {
      module: AppModule,
      providers: [{ provide: ExporterConfig, useValue: config }],
      exports: [ExporterConfig],
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
    this.logger.log(signal === undefined ? 'exporter stopped' : `exporter stopped on ${signal}`);
  }
}
