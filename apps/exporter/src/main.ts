// First: runtime flags that must be set before any dependency loads.
import './preload';
import { Module } from '@nestjs/common';
import { loadConfigOrExit, nestLogLevels, nestStartupLogLevels } from '@stevedore/config';
import { BlobClientModule } from '@stevedore/blob-http';
import { MessagingModule, exitOnStartFailure, runRmqService } from '@stevedore/messaging';
import { ExporterServiceModule } from '@stevedore/service-exporter';
import { ExporterConfig } from './exporter.config';

const config = loadConfigOrExit(ExporterConfig, 'exporter');

@Module({
  imports: [
    MessagingModule.forRoot({ kind: 'rmq', url: config.AMQP_URL, namespace: config.STEVEDORE_BUS_NAMESPACE }),
    BlobClientModule.forRoot(config.STEVEDORE_BLOBSTORE_URL),
    ExporterServiceModule.forRoot(),
  ],
})
class ExporterProcess {}

runRmqService({
  name: 'exporter',
  owner: 'exporter',
  module: ExporterProcess,
  amqpUrl: config.AMQP_URL,
  namespace: config.STEVEDORE_BUS_NAMESPACE,
  startupLevels: nestStartupLogLevels(config.STEVEDORE_LOG_LEVEL),
  runLevels: nestLogLevels(config.STEVEDORE_LOG_LEVEL),
}).catch(exitOnStartFailure('exporter'));
