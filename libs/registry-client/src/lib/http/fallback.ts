import { DomainError, isDomainError } from '@stevedore/domain';
import { RegistryLogger } from '../options';
import { Endpoint } from './endpoint';
import { isTemporary } from './transport-error';

// A mirror may be down, failing, or simply lack the content or the user's rights; each of these is a
// reason to ask the next endpoint. Verification failures and bad input are not.
const MIRROR_FALLBACK_CODES = new Set(['NOT_FOUND', 'UNAUTHORIZED', 'DENIED']);

/** shouldFallBack tells whether a failure at a mirror should move the request on to the next endpoint. */
export function shouldFallBack(error: unknown): boolean {
  return isTemporary(error) || (isDomainError(error) && MIRROR_FALLBACK_CODES.has(error.code));
}

/**
 * tryEndpoints runs `operation` against each endpoint in order (mirrors first, the registry last) and
 * returns the first success. A mirror is left behind on connection errors, 5xx/429, 404 and auth
 * refusals; the last endpoint's error is the one reported.
 */
export async function tryEndpoints<T>(
  endpoints: readonly Endpoint[],
  operation: (endpoint: Endpoint, isLast: boolean) => Promise<T>,
  logger?: RegistryLogger,
): Promise<T> {
  for (let i = 0; i < endpoints.length; i++) {
    const endpoint = endpoints[i] as Endpoint;
    const isLast = i === endpoints.length - 1;
    try {
      return await operation(endpoint, isLast);
    } catch (error) {
      if (isLast || !shouldFallBack(error)) throw error;
      logger?.warn('mirror failed, trying the next endpoint', {
        mirror: endpoint.origin,
        code: (error as DomainError).code,
        reason: (error as DomainError).message,
      });
    }
  }
  throw DomainError.internal('no endpoint to try');
}
