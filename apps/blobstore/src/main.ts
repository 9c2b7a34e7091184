// First: runtime flags that must be set before any dependency loads.
import './preload';
import { Module } from '@nestjs/common';
import {
  ingestLimitsOf,
  loadConfigOrExit,
  loadDaemonConfig,
  nestLogLevels,
  nestStartupLogLevels,
  parseListenAddress,
} from '@stevedore/config';
import { MessagingModule, exitOnStartFailure, runRmqService } from '@stevedore/messaging';
import { BlobstoreServiceModule } from '@stevedore/service-blobstore';
import { BlobstoreConfig } from './blobstore.config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(BlobstoreConfig, 'blobstore');
  const daemon = await loadDaemonConfig(config.STEVEDORE_CONFIG);
  // The Bus: collecting garbage asks metadata which blobs may go.
  @Module({
    imports: [
      MessagingModule.forRoot({
        kind: 'rmq',
        url: config.AMQP_URL,
        namespace: config.STEVEDORE_BUS_NAMESPACE,
      }),
      BlobstoreServiceModule.forRoot({
        dataRoot: config.STEVEDORE_DATA_ROOT,
        ingestLimits: ingestLimitsOf(daemon),
        internalHttp: {
          ...parseListenAddress(config.STEVEDORE_INTERNAL_LISTEN),
          token: config.STEVEDORE_INTERNAL_TOKEN,
        },
      }),
    ],
  })
  class BlobstoreAppModule {}
  await runRmqService({
    name: 'blobstore',
    owner: 'blobstore',
    module: BlobstoreAppModule,
    amqpUrl: config.AMQP_URL,
    namespace: config.STEVEDORE_BUS_NAMESPACE,
    startupLevels: nestStartupLogLevels(config.STEVEDORE_LOG_LEVEL),
    runLevels: nestLogLevels(config.STEVEDORE_LOG_LEVEL),
    ...(config.STEVEDORE_HEALTH_LISTEN ? { healthListen: config.STEVEDORE_HEALTH_LISTEN } : {}),
  });
}

main().catch(exitOnStartFailure('blobstore'));
