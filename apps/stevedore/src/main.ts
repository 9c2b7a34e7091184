// First: runtime flags that must be set before any dependency loads.
import './preload';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import {
  loadConfigOrExit,
  loadDaemonConfig,
  nestLogLevels,
  nestStartupLogLevels,
  parseListenAddress,
} from '@stevedore/config';
import { InProcessBroker, InProcessServer, configureMessageHandlers } from '@stevedore/messaging';
import { ServiceLogger, installProcessGuard } from '@stevedore/observability';
import {
  configureEngineApi,
  registryUrl,
  resolveMinApiVersion,
  serveRegistry,
  serveUnixSocket,
} from '@stevedore/service-gateway';
import { EmbeddedModule } from './embedded.module';
import { StevedoreConfig } from './stevedore.config';

const APP_NAME = 'stevedore';

/** bootstrap runs the embedded topology: every service in this process, the gateway listening. */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(StevedoreConfig, APP_NAME);
  // One bad request must not end the daemon: what escapes every handler is logged and counted.
  installProcessGuard(APP_NAME);
  const daemon = await loadDaemonConfig(config.STEVEDORE_CONFIG);
  const minApiVersion = resolveMinApiVersion(config.DOCKER_MIN_API_VERSION, daemon.minApiVersion);
  const dataRoot = resolve(config.STEVEDORE_DATA_ROOT ?? daemon.dataRoot ?? './.stevedore');
  await mkdir(dataRoot, { recursive: true });
  const { host, port } = parseListenAddress(config.STEVEDORE_LISTEN);
  const broker = new InProcessBroker();
  const logger = new ServiceLogger({
    logLevels: nestStartupLogLevels(config.STEVEDORE_LOG_LEVEL),
    colors: process.stdout.isTTY === true,
  });
  const app = await NestFactory.create<NestExpressApplication>(
    EmbeddedModule.forRoot({ dataRoot, daemon, broker }),
    {
      logger,
      abortOnError: false,
      forceCloseConnections: true,
    },
  );
  configureEngineApi(app, minApiVersion);
  // The services' message handlers, reached through the in-process broker (not the HTTP filters).
  configureMessageHandlers(
    app.connectMicroservice(
      { strategy: new InProcessServer(broker) },
      { deferInitialization: true },
    ),
  );
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.startAllMicroservices();
  await app.listen(port, host);
  const socket = config.STEVEDORE_SOCKET?.replace(/^unix:\/\//, '');
  if (socket) await serveUnixSocket(app, socket);
  const registry = await serveRegistry(app, config);
  app.useLogger(nestLogLevels(config.STEVEDORE_LOG_LEVEL));
  Logger.log(
    `${APP_NAME} ready, listening on ${listeningOn(app)}${socket ? ` and unix://${socket}` : ''} (registry ${registryUrl(registry)}; embedded, data root ${dataRoot})`,
    APP_NAME,
  );
}

function listeningOn(app: NestExpressApplication): string {
  const address = app.getHttpServer().address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `tcp://${host}:${address.port}`;
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  Logger.error(
    `${APP_NAME} failed to start: ${message}`,
    error instanceof Error ? error.stack : undefined,
    APP_NAME,
  );
  process.exit(1);
});
