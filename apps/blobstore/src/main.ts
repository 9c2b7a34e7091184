// First: runtime flags that must be set before any dependency loads.
import './preload';
import { Module } from '@nestjs/common';
import {
  loadConfigOrExit,
  nestLogLevels,
  nestStartupLogLevels,
  parseListenAddress,
} from '@stevedore/config';
import { MessagingModule, exitOnStartFailure, runRmqService } from '@stevedore/messaging';
import { writeScavenger } from '@stevedore/observability';
import { BlobstoreServiceModule } from '@stevedore/service-blobstore';
import { BlobstoreConfig } from './blobstore.config';

const config = loadConfigOrExit(BlobstoreConfig, 'blobstore');

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
      internalHttp: {
        ...parseListenAddress(config.STEVEDORE_INTERNAL_LISTEN),
        token: config.STEVEDORE_INTERNAL_TOKEN,
      },
      onBytesWritten: writeScavenger(),
    }),
  ],
})
class BlobstoreAppModule {}

runRmqService({
  name: 'blobstore',
  owner: 'blobstore',
  module: BlobstoreAppModule,
  amqpUrl: config.AMQP_URL,
  namespace: config.STEVEDORE_BUS_NAMESPACE,
  startupLevels: nestStartupLogLevels(config.STEVEDORE_LOG_LEVEL),
  runLevels: nestLogLevels(config.STEVEDORE_LOG_LEVEL),
  ...(config.STEVEDORE_HEALTH_LISTEN ? { healthListen: config.STEVEDORE_HEALTH_LISTEN } : {}),
}).catch(exitOnStartFailure('blobstore'));
