import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

const logger = new Logger('UnexpectedError');

/**
 * logUnexpected logs an error no domain code describes — a bug, or a system error such as ENOTEMPTY
 * — with its code, message and stack under a fresh id, and answers the id. Callers answer only
 * `internal error (errorId …)`: the id finds the cause in the logs, while internals (paths, stacks)
 * never reach a client.
 */
export function logUnexpected(where: string, err: unknown): string {
  const errorId = randomUUID();
  logger.error({ msg: `unexpected error in ${where}`, errorId, ...describe(err) });
  return errorId;
}

/** The message of an unexpected error as a client sees it. */
export function internalErrorMessage(errorId: string): string {
  return `internal error (errorId ${errorId})`;
}

function describe(err: unknown): { err: string; code?: string; stack?: string } {
  // Duck-typed: errors of another realm (a VM context, a test runner) are no `instanceof Error`.
  if (typeof err !== 'object' || err === null || !('message' in err)) return { err: String(err) };
  const { name, message, code, stack } = err as Partial<NodeJS.ErrnoException>;
  return {
    err: `${name ?? 'Error'}: ${String(message)}`,
    ...(code ? { code } : {}),
    ...(stack ? { stack } : {}),
  };
}
