import { TokenCache } from './token-cache';
import { TokenGrant } from './token-response';

const grant = (token: string, expiresAt: number): TokenGrant => ({
  token,
  expiresAt: new Date(expiresAt),
});

describe('TokenCache', () => {
  it('reuses a token until 30 s before it expires, then fetches a new one', async () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    let fetched = 0;
    const fetch = async (): Promise<TokenGrant> => grant(`t${++fetched}`, now + 60_000);
    expect((await cache.get('k', fetch)).token).toBe('t1');
    now = 29_000;
    expect((await cache.get('k', fetch)).token).toBe('t1');
    now = 30_001;
    expect((await cache.get('k', fetch)).token).toBe('t2');
  });

  it('shares one fetch among concurrent callers of the same key, not across keys', async () => {
    const cache = new TokenCache(() => 0);
    let fetched = 0;
    const fetch = async (): Promise<TokenGrant> => {
      fetched++;
      await new Promise((r) => setTimeout(r, 10));
      return grant(`t${fetched}`, 3_600_000);
    };
    const tokens = await Promise.all([
      cache.get('a', fetch),
      cache.get('a', fetch),
      cache.get('b', fetch),
    ]);
    expect(fetched).toBe(2);
    expect(tokens[0]).toBe(tokens[1]);
  });

  it('forgets a dropped token and does not cache a failed fetch', async () => {
    const cache = new TokenCache(() => 0);
    await cache.get('k', async () => grant('old', 3_600_000));
    cache.drop('k');
    await expect(cache.get('k', async () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    expect((await cache.get('k', async () => grant('new', 3_600_000))).token).toBe('new');
  });
});
