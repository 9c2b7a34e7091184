import { DomainError, isDomainError } from '@stevedore/domain';

function noRuntime(detail: string): DomainError {
  return new DomainError(
    'UNAVAILABLE',
    `no container runtime answered (${detail}): Stevedore runs containers only where a runtime service runs`,
  );
}

/**
 * sayingNoRuntime words an unreachable runtime for the user (`docker run` on a gateway whose
 * topology runs no runtime): still 503, but saying what is missing instead of a bus detail.
 */
export async function sayingNoRuntime<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!isDomainError(err) || err.code !== 'UNAVAILABLE') throw err;
    throw noRuntime(err.message);
  }
}
