// First: runtime flags that must be set before any dependency loads.
import './preload';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { loadConfigOrExit, nestLogLevels, nestStartupLogLevels } from '@stevedore/config';
import { exitOnStartFailure, runRmqService } from '@stevedore/messaging';
import { MetadataServiceModule } from '@stevedore/service-metadata';
import { MetadataConfig } from './metadata.config';

const config = loadConfigOrExit(MetadataConfig, 'metadata');
mkdirSync(config.STEVEDORE_DATA_ROOT, { recursive: true });
runRmqService({
  name: 'metadata',
  owner: 'metadata',
  module: MetadataServiceModule.forRoot({
    store: config.MONGODB_URL
      ? { kind: 'mongo', url: config.MONGODB_URL }
      : { kind: 'sqlite', path: join(config.STEVEDORE_DATA_ROOT, 'metadata.db') },
    dataRoot: config.STEVEDORE_DATA_ROOT,
  }),
  amqpUrl: config.AMQP_URL,
  namespace: config.STEVEDORE_BUS_NAMESPACE,
  startupLevels: nestStartupLogLevels(config.STEVEDORE_LOG_LEVEL),
  runLevels: nestLogLevels(config.STEVEDORE_LOG_LEVEL),
  ...(config.STEVEDORE_HEALTH_LISTEN ? { healthListen: config.STEVEDORE_HEALTH_LISTEN } : {}),
}).catch(exitOnStartFailure('metadata'));
