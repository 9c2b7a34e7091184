// First: runtime flags that must be set before any dependency loads.
import './preload';
import { Module } from '@nestjs/common';
import {
  loadConfigOrExit,
  loadDaemonConfig,
  nestLogLevels,
  nestStartupLogLevels,
} from '@stevedore/config';
import { BlobClientModule } from '@stevedore/blob-http';
import { MessagingModule, exitOnStartFailure, runRmqService } from '@stevedore/messaging';
import { UpstreamModule } from '@stevedore/registry-client';
import { ResolverServiceModule } from '@stevedore/service-resolver';
import { ResolverConfig } from './resolver.config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(ResolverConfig, 'resolver');
  const daemon = await loadDaemonConfig(config.STEVEDORE_CONFIG);
  @Module({
    imports: [
      // The bus, and the broadcasts through which pushes reach the search's catalog cache.
      MessagingModule.forRoot({
        kind: 'rmq',
        url: config.AMQP_URL,
        namespace: config.STEVEDORE_BUS_NAMESPACE,
      }),
      BlobClientModule.forRoot(config.STEVEDORE_BLOBSTORE_URL, config.STEVEDORE_INTERNAL_TOKEN),
      UpstreamModule.forRoot(daemon),
      ResolverServiceModule,
    ],
  })
  class ResolverProcess {}
  await runRmqService({
    name: 'resolver',
    owner: 'resolver',
    module: ResolverProcess,
    amqpUrl: config.AMQP_URL,
    namespace: config.STEVEDORE_BUS_NAMESPACE,
    startupLevels: nestStartupLogLevels(config.STEVEDORE_LOG_LEVEL),
    runLevels: nestLogLevels(config.STEVEDORE_LOG_LEVEL),
    ...(config.STEVEDORE_HEALTH_LISTEN ? { healthListen: config.STEVEDORE_HEALTH_LISTEN } : {}),
  });
}

main().catch(exitOnStartFailure('resolver'));
