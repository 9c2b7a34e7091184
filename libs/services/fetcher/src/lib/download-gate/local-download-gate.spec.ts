import { Digest } from '@stevedore/domain';
import { RateLimitSignals } from '@stevedore/registry-client';
import { LocalDownloadGate } from './local-download-gate';

const digest = (c: string) => Digest.parse(`sha256:${c.repeat(64)}`);
const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 20));
  return done;
};

describe('LocalDownloadGate', () => {
  let signals: RateLimitSignals;
  let gate: LocalDownloadGate;

  beforeEach(() => {
    signals = new RateLimitSignals();
    gate = new LocalDownloadGate(signals, 2);
    gate.onModuleInit();
  });

  afterEach(() => gate.onModuleDestroy());

  it('lets one downloader at a digest until it releases', async () => {
    const first = await gate.enter(digest('a'), 'r.test');
    const second = gate.enter(digest('a'), 'r.test');
    expect(await settled(second)).toBe(false);
    await first.release();
    expect(await settled(second)).toBe(true);
    await (await second).release();
  });

  it('keeps to the registry slot limit, per registry', async () => {
    const held = [await gate.enter(digest('a'), 'r.test'), await gate.enter(digest('b'), 'r.test')];
    const third = gate.enter(digest('c'), 'r.test');
    expect(await settled(third)).toBe(false);
    expect(await settled(gate.enter(digest('d'), 'other.test'))).toBe(true);
    await held[0]?.release();
    expect(await settled(third)).toBe(true);
  });

  it('holds new downloads from a registry while its back-off runs', async () => {
    signals.publish({ host: 'r.test', retryAfterMs: 1_000 });
    const started = Date.now();
    await (await gate.enter(digest('a'), 'r.test')).release();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe('LocalDownloadGate, called off while waiting', () => {
  let gate: LocalDownloadGate;

  beforeEach(() => {
    gate = new LocalDownloadGate(new RateLimitSignals(), 1);
    gate.onModuleInit();
  });

  afterEach(() => gate.onModuleDestroy());

  it('stops waiting for a slot with the signal’s reason, and the line moves on without it', async () => {
    const held = await gate.enter(digest('a'), 'r.test');
    const gone = new AbortController();
    const reason = new Error('called off');
    const waiting = gate.enter(digest('b'), 'r.test', gone.signal);
    const next = gate.enter(digest('c'), 'r.test');
    gone.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await held.release();
    expect(await settled(next)).toBe(true);
  });

  it('stops waiting for another downloader of the blob, holding nothing', async () => {
    const held = await gate.enter(digest('a'), 'r.test');
    const gone = new AbortController();
    const waiting = gate.enter(digest('a'), 'r.test', gone.signal);
    gone.abort(new Error('called off'));
    await expect(waiting).rejects.toThrow('called off');
    await held.release();
    await (await gate.enter(digest('a'), 'r.test')).release();
  });

  it('stops waiting out a back-off', async () => {
    const signals = new RateLimitSignals(60_000);
    const limited = new LocalDownloadGate(signals, 1);
    limited.onModuleInit();
    signals.publish({ host: 'r.test', retryAfterMs: 3_600_000 });
    const gone = new AbortController();
    const waiting = limited.enter(digest('a'), 'r.test', gone.signal);
    setTimeout(() => gone.abort(new Error('called off')), 50);
    await expect(waiting).rejects.toThrow('called off');
    limited.onModuleDestroy();
  });
});
