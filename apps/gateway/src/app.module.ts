import { DynamicModule, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ExporterClientModule } from '@stevedore/exporter-http';
import { MessagingModule } from '@stevedore/messaging';
import { RuntimeClientModule } from '@stevedore/runtime-http';
import { BlobClientModule } from '@stevedore/blob-http';
import { DaemonConfig } from '@stevedore/config';
import { GatewayHttpModule, registryModule } from '@stevedore/service-gateway';
import { GatewayConfig } from './gateway.config';

/**
 * AppModule is the gateway process of the cluster topology: the HTTP surface, the services
 * reached over RabbitMQ, archives (load, import, save) streamed to and from the exporter's
 * internal endpoint, and container streams (attach, exec, logs, cp, export) to and from the
 * runtimes'.
 */
@Module({})
export class AppModule implements OnApplicationShutdown {
  private readonly logger = new Logger('gateway');

  static forRoot(config: GatewayConfig, daemon: DaemonConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MessagingModule.forRoot({
          kind: 'rmq',
          url: config.AMQP_URL,
          namespace: config.STEVEDORE_BUS_NAMESPACE,
        }),
        ExporterClientModule.forRoot(
          config.STEVEDORE_EXPORTER_URL,
          config.STEVEDORE_INTERNAL_TOKEN,
        ),
        RuntimeClientModule.forRoot(config.STEVEDORE_RUNTIME_URL, config.STEVEDORE_INTERNAL_TOKEN),
        // `/v2/` streams blobs to and from the blob store's internal endpoint.
        BlobClientModule.forRoot(config.STEVEDORE_BLOBSTORE_URL, config.STEVEDORE_INTERNAL_TOKEN),
        GatewayHttpModule,
        registryModule(daemon),
      ],
    };
  }

  /** onApplicationShutdown logs the signal that stopped the gateway, so operators see a clean stop. */
  onApplicationShutdown(signal?: string): void {
    this.logger.log(signal === undefined ? 'gateway stopped' : `gateway stopped on ${signal}`);
  }
}
