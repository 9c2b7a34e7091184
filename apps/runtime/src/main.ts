// First: runtime flags that must be set before any dependency loads.
import './preload';
import { Module } from '@nestjs/common';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  loadConfigOrExit,
  nestLogLevels,
  nestStartupLogLevels,
  parseListenAddress,
} from '@stevedore/config';
import { BlobClientModule } from '@stevedore/blob-http';
import { MessagingModule, exitOnStartFailure, runRmqService } from '@stevedore/messaging';
import { RuntimeServiceModule } from '@stevedore/service-runtime';
import { RuntimeConfig } from './runtime.config';

// Waits (`docker run`, `docker wait`) hold their message until the container exits, and cost
// nothing meanwhile: far more of them may be open at once than the other services' 16.
const PREFETCH = 512;

async function main(): Promise<void> {
  const config = loadConfigOrExit(RuntimeConfig, 'runtime');
  const dataRoot = resolve(config.STEVEDORE_DATA_ROOT);
  await mkdir(dataRoot, { recursive: true });
  @Module({
    imports: [
      MessagingModule.forRoot({
        kind: 'rmq',
        url: config.AMQP_URL,
        namespace: config.STEVEDORE_BUS_NAMESPACE,
      }),
      BlobClientModule.forRoot(config.STEVEDORE_BLOBSTORE_URL, config.STEVEDORE_INTERNAL_TOKEN),
      RuntimeServiceModule.forRoot({
        dataRoot,
        internalHttp: {
          ...parseListenAddress(config.STEVEDORE_INTERNAL_LISTEN),
          token: config.STEVEDORE_INTERNAL_TOKEN,
        },
      }),
    ],
  })
  class RuntimeProcess {}
  await runRmqService({
    name: 'runtime',
    owner: 'runtime',
    module: RuntimeProcess,
    amqpUrl: config.AMQP_URL,
    namespace: config.STEVEDORE_BUS_NAMESPACE,
    prefetch: PREFETCH,
    startupLevels: nestStartupLogLevels(config.STEVEDORE_LOG_LEVEL),
    runLevels: nestLogLevels(config.STEVEDORE_LOG_LEVEL),
    ...(config.STEVEDORE_HEALTH_LISTEN ? { healthListen: config.STEVEDORE_HEALTH_LISTEN } : {}),
  });
}

main().catch(exitOnStartFailure('runtime'));
