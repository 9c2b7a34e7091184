import { RetryPolicy } from './retry-policy';

describe('RetryPolicy', () => {
  it('doubles the delay after each failed attempt and gives up after the last', () => {
    const policy = new RetryPolicy({ maxAttempts: 4, baseDelayMs: 1000 });
    expect([1, 2, 3, 4].map((n) => policy.delayAfter(n))).toEqual([1000, 2000, 4000, undefined]);
  });
});
