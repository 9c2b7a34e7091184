import { Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { GatewayHttpModule } from '@stevedore/service-gateway';

/** AppModule is the root of the gateway: the Docker Engine API's endpoints, one module per area. */
@Module({
  imports: [GatewayHttpModule],
})
export class AppModule implements OnApplicationShutdown {
  private readonly logger = new Logger('gateway');

  /** onApplicationShutdown logs the signal that stopped the gateway, so operators see a clean stop. */
  onApplicationShutdown(signal?: string): void {
    this.logger.log(signal === undefined ? 'gateway stopped' : `gateway stopped on ${signal}`);
  }
}
