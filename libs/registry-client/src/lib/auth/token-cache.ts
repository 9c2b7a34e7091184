import { TokenGrant } from './token-response';

/** Tokens are reused until this long before they expire, so none expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * TokenCache keeps bearer tokens per key (realm + service + scopes + credential identity) until shortly
 * before they expire, and coalesces concurrent fetches for the same key into one request.
 */
export class TokenCache {
  private readonly grants = new Map<string, TokenGrant>();
  private readonly inflight = new Map<string, Promise<TokenGrant>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** get returns a fresh cached token for `key`, or runs `fetch` once (shared by concurrent callers) and caches its result. */
  async get(key: string, fetch: () => Promise<TokenGrant>): Promise<TokenGrant> {
    const cached = this.grants.get(key);
    if (cached && cached.expiresAt.getTime() - EXPIRY_MARGIN_MS > this.now()) return cached;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const started = fetch()
      .then((grant) => {
        this.grants.set(key, grant);
        return grant;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, started);
    return started;
  }

  /** drop forgets the token for `key` (the registry called it `invalid_token`). */
  drop(key: string): void {
    this.grants.delete(key);
  }
}
