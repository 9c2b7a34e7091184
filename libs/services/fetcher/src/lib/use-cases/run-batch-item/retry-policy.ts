import { Injectable } from '@nestjs/common';

/** RetryOptions tune {@link RetryPolicy}: how many attempts, and the first delay (doubled each time). */
export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
}

/** RETRY_OPTIONS is the token under which a composition root may override the default retry options. */
export const RETRY_OPTIONS = Symbol('RetryOptions');

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 3, baseDelayMs: 2_000 };

/** RetryPolicy says how long a failed batch item waits before its next attempt, or that it gives up. */
@Injectable()
export class RetryPolicy {
  constructor(private readonly options: RetryOptions = DEFAULT_RETRY) {}

  /** delayAfter returns the delay before attempt `attempts + 1`, or undefined once attempts are exhausted. */
  delayAfter(attempts: number): number | undefined {
    if (attempts >= this.options.maxAttempts) return undefined;
    return this.options.baseDelayMs * 2 ** (attempts - 1);
  }
}
