/** What the limiter answers: go ahead, or wait this long before trying again. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

// Buckets untouched this long are full again anyway; dropping them bounds the map.
const IDLE_SWEEP_MS = 10 * 60_000;

/**
 * RateLimiter is a token bucket per key (a token subject, a user, or a client address): `burst`
 * requests at once, refilled at `perMinute`. It lives in one gateway replica, so a fleet of N
 * replicas lets a client through at most N times the rate — the upstream budget is still bounded.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): RateDecision {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    const refill = ((now - bucket.at) / 60_000) * this.perMinute;
    bucket.tokens = Math.min(this.burst, bucket.tokens + refill);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const wait = ((1 - bucket.tokens) / this.perMinute) * 60;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < IDLE_SWEEP_MS) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets)
      if (now - bucket.at > IDLE_SWEEP_MS) this.buckets.delete(key);
  }
}
