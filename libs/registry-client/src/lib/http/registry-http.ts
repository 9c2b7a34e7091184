import { Dispatcher } from 'undici';
import { Authenticator, Authorization } from '../auth/authenticator';
import { registryError } from '../errors/distribution-error';
import { Endpoint } from './endpoint';
import { firstHeader } from './headers';
import { readErrorText } from './read-capped';
import type { RateLimitSignal } from '../options';
import { parseRateLimit } from './rate-limit';
import { parseRetryAfter } from './retry-after';
import { HttpResponse, RequestBody, Transport } from './transport';
import { safeLocation } from './transport-error';

/** RegistryCall describes one registry request before auth, redirects and error mapping. */
export interface RegistryCall {
  readonly endpoint: Endpoint;
  readonly method: Dispatcher.HttpMethod;
  /** A path on the endpoint (`/v2/…`) or an absolute URL (an upload `Location`). */
  readonly target: string | URL;
  readonly scopes: readonly string[];
  readonly headers?: Record<string, string>;
  /** Builds the body afresh for each send, so a 401 retry can send it again. */
  readonly body?: () => RequestBody;
  /** Statuses that count as success; anything else becomes a DomainError. */
  readonly ok: readonly number[];
  /** Follow 3xx redirects (blob GETs), dropping Authorization when the origin changes. */
  readonly followRedirects?: boolean;
  /** Aborts the request (and its body) when whoever wanted it is gone. */
  readonly signal?: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/** sameOrigin tells whether Authorization may go to `url`: only the endpoint's own scheme, host and port. */
export function mayCarryAuthorization(endpoint: Endpoint, url: URL): boolean {
  return url.origin === endpoint.origin;
}

/**
 * RegistryHttp performs one registry request: it authorizes it, retries once after a 401 when the
 * challenge says a fresh token can help, follows redirects when asked (never sending credentials to
 * another origin), and turns unexpected statuses into DomainErrors carrying the registry's message.
 * It does not retry failures; callers that know the request is idempotent wrap it in `withRetry`.
 */
export class RegistryHttp {
  constructor(
    private readonly transport: Transport,
    private readonly auth: Authenticator,
    private readonly onRateLimit?: (signal: RateLimitSignal) => void,
  ) {}

  /** send runs `call` and resolves with a success response whose body the caller must consume. */
  async send(call: RegistryCall): Promise<HttpResponse> {
    let scopes = call.scopes;
    let authz = await this.auth.authorize(call.endpoint, scopes);
    let res = await this.sendFollowing(call, authz);
    if (res.status === 401) {
      const retryScopes = this.auth.unauthorized(call.endpoint, res.headers, authz, scopes);
      if (retryScopes) {
        await res.body.dump();
        scopes = retryScopes;
        authz = await this.auth.authorize(call.endpoint, scopes);
        res = await this.sendFollowing(call, authz);
      }
    }
    this.noteRateLimit(new URL(call.endpoint.origin).host, res);
    if (call.ok.includes(res.status)) return res;
    throw await this.failure(call.method, res);
  }

  // A 429, or a last allowed request (`RateLimit-Remaining: 0;w=…`), is worth telling other processes.
  private noteRateLimit(host: string, res: HttpResponse): void {
    if (!this.onRateLimit) return;
    const exhausted = parseRateLimit(res.headers)?.remaining === 0;
    if (res.status !== 429 && !exhausted) return;
    const retryAfterMs =
      parseRetryAfter(firstHeader(res.headers, 'retry-after')) ??
      parseRetryAfter(firstHeader(res.headers, 'ratelimit-reset')) ??
      1000;
    this.onRateLimit({ host, retryAfterMs });
  }

  private async sendFollowing(call: RegistryCall, authz: Authorization): Promise<HttpResponse> {
    let url =
      typeof call.target === 'string' ? new URL(call.target, call.endpoint.origin) : call.target;
    let method = call.method;
    for (let hop = 0; ; hop++) {
      const headers = { ...call.headers };
      if (authz.header && mayCarryAuthorization(call.endpoint, url))
        headers['authorization'] = authz.header;
      const body = method === 'GET' || method === 'HEAD' ? undefined : call.body?.();
      const res = await this.transport.send({
        method,
        url,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
      });
      const location = firstHeader(res.headers, 'location');
      if (!call.followRedirects || !REDIRECTS.has(res.status) || !location || hop >= MAX_REDIRECTS)
        return res;
      await res.body.dump();
      url = new URL(location, url);
      if (res.status === 303) method = 'GET';
    }
  }

  private async failure(method: string, res: HttpResponse): Promise<Error> {
    const text = method === 'HEAD' ? '' : await readErrorText(res.body);
    if (method === 'HEAD') await res.body.dump();
    const retryAfterMs = parseRetryAfter(firstHeader(res.headers, 'retry-after'));
    return registryError(
      {
        method,
        where: safeLocation(res.url),
        status: res.status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
      text,
    );
  }
}
