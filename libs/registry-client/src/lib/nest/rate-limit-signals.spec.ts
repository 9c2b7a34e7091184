import { RateLimitSignal } from '../options';
import { RateLimitSignals } from './upstream.module';

describe('RateLimitSignals', () => {
  it('cuts every pause to the configured cap, so a back-off never outlasts it', () => {
    const signals = new RateLimitSignals(2_000);
    const heard: RateLimitSignal[] = [];
    signals.subscribe((s) => heard.push(s));
    signals.publish({ host: 'r.test', retryAfterMs: 3_600_000 });
    signals.publish({ host: 'r.test', retryAfterMs: 500 });
    expect(heard).toEqual([
      { host: 'r.test', retryAfterMs: 2_000 },
      { host: 'r.test', retryAfterMs: 500 },
    ]);
  });
});
