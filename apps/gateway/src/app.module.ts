import { DynamicModule, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { BlobClientModule } from '@stevedore/blob-http';
import { MessagingModule } from '@stevedore/messaging';
import type { DaemonConfig } from '@stevedore/config';
import { GatewayHttpModule, ImportPolicyModule } from '@stevedore/service-gateway';
import { GatewayConfig } from './gateway.config';

/**
 * AppModule is the gateway process of the cluster topology: the HTTP surface, the services
 * reached over RabbitMQ, and blob bytes streamed from the blobstore's internal endpoint.
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
        BlobClientModule.forRoot(config.STEVEDORE_BLOBSTORE_URL),
        ImportPolicyModule.forRoot(daemon.importUrlAllowlist),
        GatewayHttpModule,
      ],
    };
  }

  /** onApplicationShutdown logs the signal that stopped the gateway, so operators see a clean stop. */
  onApplicationShutdown(signal?: string): void {
    this.logger.log(signal === undefined ? 'gateway stopped' : `gateway stopped on ${signal}`);
  }
}
