import { Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { METRICS } from '../metrics/metrics';

const escaped = new Counter({
  name: 'stevedore_escaped_errors_total',
  help: 'Errors that escaped every handler (uncaught exceptions, unhandled rejections): logged, counted, survived.',
  labelNames: ['kind'] as const,
  registers: [METRICS],
});

/**
 * ExpectedRejection tells an unhandled rejection that is part of normal operation (a publish lost
 * with the broker connection) and returns the warning to log for it; undefined for any other.
 */
export type ExpectedRejection = (reason: unknown) => string | undefined;

const expected: ExpectedRejection[] = [];
let installed = false;

/**
 * installProcessGuard makes one bad request unable to end the process: an uncaught exception or an
 * unhandled rejection is logged (message and stack, credentials masked) and counted in
 * `stevedore_escaped_errors_total`, and the process keeps serving everyone else. The request that
 * caused it is answered, or times out, on its own. `expectedRejection` adds rejections that are
 * warned about and not counted. Installed once per process; later calls only add classifiers.
 */
export function installProcessGuard(name: string, expectedRejection?: ExpectedRejection): void {
  if (expectedRejection) expected.push(expectedRejection);
  if (installed) return;
  installed = true;
  const logger = new Logger(name);
  process.on('uncaughtException', (error: unknown) => {
    escaped.inc({ kind: 'uncaughtException' });
    logger.error(`an error escaped every handler: ${describe(error)}`);
  });
  process.on('unhandledRejection', (reason: unknown) => {
    for (const classify of expected) {
      const warning = classify(reason);
      if (warning !== undefined) return logger.warn(warning);
    }
    escaped.inc({ kind: 'unhandledRejection' });
    logger.error(`a rejection escaped every handler: ${describe(reason)}`);
  });
}

/** describe words an escaped error for the log: its message and stack frames, secrets masked. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return mask(String(error));
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return mask([`${error.name}: ${error.message}`, ...frames].join('\n'));
}

/** mask hides what may be a credential: URL user info and Authorization-style values. */
function mask(text: string): string {
  return text
    .replace(/(\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1***@')
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]+/gi, '$1 ***');
}
