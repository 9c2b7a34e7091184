import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('lets a burst through, then one request per refill, each key on its own', () => {
    let now = 0;
    const limiter = new RateLimiter(60, 2, () => now);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b')).toEqual({ allowed: true });
    now = 1000;
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toMatchObject({ allowed: false });
  });
});
