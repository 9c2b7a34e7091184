import {
  DynamicModule,
  Injectable,
  Logger,
  LogLevel,
  Module,
  OnApplicationShutdown,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { parseListenAddress } from '@stevedore/config';
import { ServiceLogger, healthAddress, startHealthServer } from '@stevedore/observability';
import { configureMessageHandlers } from './configure-handlers';
import { brokerReachable } from './health/broker-reachable';
import { guardBrokerRejections } from './rmq/broker-rejections';
import { queueOf, rmqServerOptions } from './rmq/rmq.options';
import { listenForStreamCancels } from './rmq/stream-cancels';
import { watchQueueLag } from './health/queue-gauge';

/** How one service process of the cluster topology runs. */
export interface RmqServiceOptions {
  /** Process name for logs (`fetcher`). */
  name: string;
  /** The owner whose queue it consumes (`stevedore.<owner>`); usually the name. */
  owner: string;
  /** The service's root module. */
  module: DynamicModule | Type<unknown>;
  amqpUrl: string;
  /** Nest log levels for start-up, then for the running service. */
  startupLevels: LogLevel[];
  runLevels: LogLevel[];
  /** Messages handled at once by this process (RabbitMQ prefetch). */
  prefetch?: number;
  /** Queue-name prefix (default `stevedore`). */
  namespace?: string;
  /** `host:port` for `/healthz`, `/readyz` and `/metrics` (STEVEDORE_HEALTH_LISTEN); none when absent. */
  healthListen?: string;
}

/**
 * runRmqService starts a cluster service: a Nest microservice consuming its durable queue with
 * manual acks, the shared handler configuration, and a clean exit 0 on SIGTERM/SIGINT.
 */
export async function runRmqService(options: RmqServiceOptions): Promise<void> {
  guardBrokerRejections(options.name);
  const logger = new ServiceLogger({
    logLevels: options.startupLevels,
    colors: process.stdout.isTTY === true,
  });
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    withShutdownLog(options.name, options.module),
    {
      ...rmqServerOptions(options.owner, options.amqpUrl, options.prefetch, options.namespace),
      logger,
      abortOnError: false,
    },
  );
  configureMessageHandlers(app);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen();
  // Process-wide and closed by the exit: a caller that leaves a stream stops its work here.
  await listenForStreamCancels(options.amqpUrl, options.namespace).ready;
  app.useLogger(options.runLevels);
  if (options.healthListen) {
    const { host, port } = parseListenAddress(options.healthListen);
    const health = await startHealthServer(host, port, brokerReachable(options.amqpUrl));
    watchQueueLag(options.amqpUrl, queueOf(options.owner, options.namespace));
    Logger.log(`health and metrics on http://${healthAddress(health)}`, options.name);
  }
  Logger.log(`${options.name} ready`, options.name);
}

/** Wraps a root module so the process logs which signal stopped it. */
export function withShutdownLog(
  name: string,
  module: DynamicModule | Type<unknown>,
): DynamicModule {
  @Injectable()
  class ShutdownLog implements OnApplicationShutdown {
    onApplicationShutdown(signal?: string): void {
      Logger.log(signal === undefined ? `${name} stopped` : `${name} stopped on ${signal}`, name);
    }
  }
  @Module({})
  class ServiceRoot {}
  return { module: ServiceRoot, imports: [module], providers: [ShutdownLog] };
}

/** exitOnStartFailure logs why a service could not start (message only, no secrets) and exits 1. */
export function exitOnStartFailure(name: string): (error: unknown) => never {
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    Logger.error(`${name} failed to start: ${message}`, name);
    process.exit(1);
  };
}
