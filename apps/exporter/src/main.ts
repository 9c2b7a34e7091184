// First: runtime flags that must be set before any dependency loads.
import './preload';
import { Module } from '@nestjs/common';
import {
  loadConfigOrExit,
  loadDaemonConfig,
  nestLogLevels,
  nestStartupLogLevels,
  parseListenAddress,
} from '@stevedore/config';
import { BlobClientModule } from '@stevedore/blob-http';
import { MessagingModule, exitOnStartFailure, runRmqService } from '@stevedore/messaging';
import { UpstreamModule } from '@stevedore/registry-client';
import { ExporterServiceModule } from '@stevedore/service-exporter';
import { ExporterConfig } from './exporter.config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(ExporterConfig, 'exporter');
  const daemon = await loadDaemonConfig(config.STEVEDORE_CONFIG);
  @Module({
    imports: [
      MessagingModule.forRoot({
        kind: 'rmq',
        url: config.AMQP_URL,
        namespace: config.STEVEDORE_BUS_NAMESPACE,
      }),
      BlobClientModule.forRoot(config.STEVEDORE_BLOBSTORE_URL, config.STEVEDORE_INTERNAL_TOKEN),
      UpstreamModule.forRoot(daemon),
      ExporterServiceModule.forRoot({
        internalHttp: {
          ...parseListenAddress(config.STEVEDORE_INTERNAL_LISTEN),
          token: config.STEVEDORE_INTERNAL_TOKEN,
        },
        importUrlAllowlist: daemon.importUrlAllowlist,
      }),
    ],
  })
  class ExporterProcess {}
  await runRmqService({
    name: 'exporter',
    owner: 'exporter',
    module: ExporterProcess,
    amqpUrl: config.AMQP_URL,
    namespace: config.STEVEDORE_BUS_NAMESPACE,
    startupLevels: nestStartupLogLevels(config.STEVEDORE_LOG_LEVEL),
    runLevels: nestLogLevels(config.STEVEDORE_LOG_LEVEL),
    ...(config.STEVEDORE_HEALTH_LISTEN ? { healthListen: config.STEVEDORE_HEALTH_LISTEN } : {}),
  });
}

main().catch(exitOnStartFailure('exporter'));
