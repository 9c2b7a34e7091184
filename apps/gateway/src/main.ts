// First: runtime flags that must be set before any dependency loads.
import './preload';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  loadConfigOrExit,
  loadDaemonConfig,
  nestLogLevels,
  nestStartupLogLevels,
  parseListenAddress,
} from '@stevedore/config';
import type { AddressInfo } from 'node:net';
import { ServiceLogger } from '@stevedore/observability';
import { AppModule } from './app.module';
import { guardBrokerRejections } from '@stevedore/messaging';
import {
  configureEngineApi,
  registryUrl,
  resolveMinApiVersion,
  serveRegistry,
  serveUnixSocket,
} from '@stevedore/service-gateway';
import { GatewayConfig } from './gateway.config';

const APP_NAME = 'gateway';

/** bootstrap validates the environment, then serves the Docker Engine API until SIGTERM or SIGINT. */
async function bootstrap(): Promise<void> {
  // Before Nest starts: a bad variable is one clear message and exit 78, not a stack trace.
  const config = loadConfigOrExit(GatewayConfig, APP_NAME);
  guardBrokerRejections(APP_NAME);
  const daemon = await loadDaemonConfig(config.STEVEDORE_CONFIG);
  const minApiVersion = resolveMinApiVersion(config.DOCKER_MIN_API_VERSION, daemon.minApiVersion);
  const { host, port } = parseListenAddress(config.STEVEDORE_LISTEN);
  const logger = new ServiceLogger({
    logLevels: nestStartupLogLevels(config.STEVEDORE_LOG_LEVEL),
    // Colour codes only on a terminal, not in log files or collectors.
    colors: process.stdout.isTTY === true,
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, daemon), {
    logger,
    // Reject instead of process.abort(), so a failed start is logged below and exits 1.
    abortOnError: false,
    // Idle keep-alive connections from the CLI must not hold up shutdown.
    forceCloseConnections: true,
  });
  configureEngineApi(app, minApiVersion);
  // useProcessExit: exit 0 after the shutdown hooks ran, rather than re-raising the signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(port, host);
  const socket = config.STEVEDORE_SOCKET?.replace(/^unix:\/\//, '');
  if (socket) await serveUnixSocket(app, socket);
  const registry = await serveRegistry(app, config);
  app.useLogger(nestLogLevels(config.STEVEDORE_LOG_LEVEL));
  Logger.log(
    `${APP_NAME} ready, listening on ${listeningOn(app)}${socket ? ` and unix://${socket}` : ''} (registry ${registryUrl(registry)})`,
    APP_NAME,
  );
}

// The bound address (port 0 becomes the real port), in DOCKER_HOST form.
function listeningOn(app: NestExpressApplication): string {
  const address = app.getHttpServer().address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `tcp://${host}:${address.port}`;
}

bootstrap().catch((error: unknown) => {
  if (error instanceof Error)
    Logger.error(`${APP_NAME} failed to start: ${error.message}`, error.stack, APP_NAME);
  else Logger.error(`${APP_NAME} failed to start: ${String(error)}`, APP_NAME);
  process.exit(1);
});
