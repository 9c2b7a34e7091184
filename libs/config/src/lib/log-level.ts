import { IsIn } from 'class-validator';

/** LOG_LEVELS are the values STEVEDORE_LOG_LEVEL accepts, from quietest to noisiest. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/** LogLevel is one of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** NestLogLevel mirrors `@nestjs/common`'s LogLevel, so this library needs no Nest import. */
export type NestLogLevel = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

const NEST_LEVELS: Record<LogLevel, readonly NestLogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** IsLogLevel validates a config property holding one of {@link LOG_LEVELS}. */
export function IsLogLevel(): PropertyDecorator {
  return IsIn([...LOG_LEVELS], { message: `must be one of ${LOG_LEVELS.join(', ')}` });
}

/** nestLogLevels returns the Nest logger levels that `level` lets through once the app runs. */
export function nestLogLevels(level: LogLevel): NestLogLevel[] {
  return [...NEST_LEVELS[level]];
}

/**
 * nestStartupLogLevels returns the Nest logger levels for bootstrap: Nest's module and route
 * chatter only shows at debug, so a normal start prints just the app's own "ready" line.
 */
export function nestStartupLogLevels(level: LogLevel): NestLogLevel[] {
  return level === 'debug'
    ? nestLogLevels('debug')
    : nestLogLevels(level === 'info' ? 'warn' : level);
}
