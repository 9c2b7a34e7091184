import { DomainError, isDomainError } from '@stevedore/domain';
import { isTemporary } from './transport-error';

/** RetryPolicy says how often and how patiently idempotent requests are repeated. */
export interface RetryPolicy {
  /** total tries including the first (1 = never retry). */
  readonly attempts: number;
  /** first backoff delay in ms; doubles each retry. */
  readonly baseDelayMs: number;
  /** upper bound of one backoff delay in ms. */
  readonly maxDelayMs: number;
  /** a `Retry-After` longer than this fails at once with TOO_MANY_REQUESTS instead of waiting. */
  readonly maxRetryAfterMs: number;
}

/** DEFAULT_RETRY follows §2.9: 1 s, 2 s, 4 s … capped at 60 s, five tries. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 120_000,
};

/** backoffDelay is the jittered delay before retry number `retry` (1-based): half fixed, half random. */
export function backoffDelay(
  policy: RetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

function retryAfterOf(error: unknown): number | undefined {
  const value = isDomainError(error) ? error.details?.['retryAfterMs'] : undefined;
  return typeof value === 'number' ? value : undefined;
}

/** RetryHooks let callers observe retries (for logs) without seeing request internals. */
export interface RetryHooks {
  onRetry?(error: DomainError, retry: number, delayMs: number): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * withRetry runs `attempt` and repeats it while it fails with a temporary error (network failure, 5xx,
 * 429) and tries remain, waiting `Retry-After` when the registry sent one, else an exponential backoff
 * with jitter. Callers must only wrap idempotent work.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!isTemporary(error) || n >= policy.attempts) throw error;
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) throw error;
      const delay = retryAfter ?? backoffDelay(policy, n);
      hooks.onRetry?.(error as DomainError, n, delay);
      await sleep(delay);
    }
  }
}
