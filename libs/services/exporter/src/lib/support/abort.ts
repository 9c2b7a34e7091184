import type { Readable } from 'node:stream';
import { DomainError } from '@stevedore/domain';

/**
 * abortReading destroys `input` when `signal` aborts, so a reader blocked on it fails and cleans
 * up (a load discards its ingests) once the client has gone. It returns the unlink, to call when
 * the work is done. An already aborted signal fails at once.
 */
export function abortReading(input: Readable, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) throw cancelled();
  const stop = () => input.destroy(cancelled());
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}

/** cancelled is the error of work whose client went away. */
export function cancelled(): DomainError {
  return new DomainError('UNAVAILABLE', 'the request was cancelled');
}
