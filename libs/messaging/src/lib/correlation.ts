import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Header that carries the correlation id on every bus message (AMQP header, in-process alike). */
export const CORRELATION_HEADER = 'x-correlation-id';

const storage = new AsyncLocalStorage<string>();

/**
 * Correlation ids: one per user request, carried across every bus hop so that each log
 * line of every service can be tied back to the request that caused it.
 */
export const Correlation = {
  /** Runs `fn` with `id` as the current correlation id. */
  run<T>(id: string, fn: () => T): T {
    return storage.run(id, fn);
  },
  /** The current correlation id, if code runs inside {@link Correlation.run}. */
  current(): string | undefined {
    return storage.getStore();
  },
  /** The current id, or a fresh one when none is set. */
  currentOrNew(): string {
    return storage.getStore() ?? randomUUID();
  },
};
