import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit, nestLogLevels, nestStartupLogLevels } from '@stevedore/config';
import { AppModule } from './app.module';
import { ExporterConfig } from './exporter.config';

const APP_NAME = 'exporter';

/** bootstrap validates the environment, then runs the exporter service until SIGTERM or SIGINT. */
async function bootstrap(): Promise<void> {
  // Before Nest starts: a bad variable is one clear message and exit 78, not a stack trace.
  const config = loadConfigOrExit(ExporterConfig, APP_NAME);
  const logger = new ConsoleLogger({
    logLevels: nestStartupLogLevels(config.STEVEDORE_LOG_LEVEL),
    // Colour codes only on a terminal, not in log files or collectors.
    colors: process.stdout.isTTY === true,
  });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger,
    // Reject instead of process.abort(), so a failed start is logged below and exits 1.
    abortOnError: false,
  });
  app.useLogger(nestLogLevels(config.STEVEDORE_LOG_LEVEL));
  // useProcessExit: exit 0 after the shutdown hooks ran, rather than re-raising the signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  Logger.log(`${APP_NAME} ready`, APP_NAME);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof Error) Logger.error(`${APP_NAME} failed to start: ${error.message}`, error.stack, APP_NAME);
  else Logger.error(`${APP_NAME} failed to start: ${String(error)}`, APP_NAME);
  process.exit(1);
});
