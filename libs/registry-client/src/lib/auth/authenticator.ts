import { createHash } from 'node:crypto';
import { DomainError } from '@stevedore/domain';
import { basicAuthorization } from '../credentials/basic-auth';
import {
  CredentialsProvider,
  RegistryCredentials,
  hasCredentials,
} from '../credentials/credentials';
import { Endpoint } from '../http/endpoint';
import { HeaderMap, allHeaders } from '../http/headers';
import { Transport } from '../http/transport';
import { Challenge, challengeScopes, parseChallenges, preferredChallenge } from './challenge';
import { normaliseScopes } from './scope';
import { TokenCache } from './token-cache';
import { fetchToken } from './token-fetch';

/** AuthState is what the authenticator remembers across clients sharing a transport: challenges and tokens. */
export class AuthState {
  readonly challenges = new Map<string, Promise<Challenge | undefined>>();
  readonly tokens = new TokenCache();
}

/** Authorization is the header value to send plus what is needed to invalidate it later. */
export interface Authorization {
  readonly header?: string;
  readonly tokenKey?: string;
}

function identityOf(creds: RegistryCredentials | undefined): string {
  if (!hasCredentials(creds)) return 'anonymous';
  // Tokens fetched with different secrets must not be shared, yet secrets never sit in a map key.
  const secret = [creds.username, creds.password, creds.identityToken].join('\0');
  return createHash('sha256').update(secret).digest('hex').slice(0, 32);
}

/**
 * Authenticator answers registry challenges (§4): it pings `/v2/` once per origin to learn the
 * challenge, then sends Basic credentials pre-emptively or a cached Bearer token fetched for the
 * request's scopes, and decides after a 401 whether one retry with fresh authorization can help.
 */
export class Authenticator {
  constructor(
    private readonly transport: Transport,
    private readonly state: AuthState,
    private readonly credentials: CredentialsProvider | undefined,
    private readonly clientId: string,
  ) {}

  /** authorize returns the Authorization for a request to `endpoint` that needs `scopes`. */
  async authorize(endpoint: Endpoint, scopes: readonly string[]): Promise<Authorization> {
    const challenge = await this.challengeFor(endpoint);
    if (!challenge) return {};
    const creds = await this.credentials?.get(endpoint.credentialHost);
    if (challenge.scheme === 'basic') {
      return creds?.username
        ? { header: basicAuthorization(creds.username, creds.password ?? '') }
        : {};
    }
    if (challenge.scheme !== 'bearer') return {};
    if (creds?.registryToken) return { header: `Bearer ${creds.registryToken}` };
    const realm = challenge.params['realm'];
    if (!realm)
      throw new DomainError(
        'UNAUTHORIZED',
        `registry ${endpoint.origin} sent a Bearer challenge without realm`,
      );
    const service = challenge.params['service'];
    const wanted = normaliseScopes([...scopes, ...challengeScopes(challenge)]);
    const tokenKey = [realm, service ?? '', wanted.join(' '), identityOf(creds)].join('|');
    const grant = await this.state.tokens.get(tokenKey, () =>
      fetchToken(this.transport, {
        realm,
        scopes: wanted,
        clientId: this.clientId,
        ...(service ? { service } : {}),
        ...(hasCredentials(creds) ? { credentials: creds } : {}),
      }),
    );
    return { header: `Bearer ${grant.token}`, tokenKey };
  }

  /**
   * unauthorized digests a 401's challenge. It returns the scopes to retry with when one retry can
   * help — nothing was sent yet, or the token was `invalid_token`, or the registry asks for scopes we
   * did not request — and undefined when the same request would fail again (e.g. wrong password).
   */
  unauthorized(
    endpoint: Endpoint,
    headers: HeaderMap,
    sent: Authorization,
    scopes: readonly string[],
  ): string[] | undefined {
    const challenge = preferredChallenge(parseChallenges(allHeaders(headers, 'www-authenticate')));
    if (!challenge) return undefined;
    this.state.challenges.set(endpoint.origin, Promise.resolve(challenge));
    const wanted = normaliseScopes([...scopes, ...challengeScopes(challenge)]);
    if (!sent.header) return wanted;
    if (sent.tokenKey === undefined) return undefined;
    const widened = wanted.some((s) => !scopes.includes(s));
    if (challenge.params['error'] !== 'invalid_token' && !widened) return undefined;
    this.state.tokens.drop(sent.tokenKey);
    return wanted;
  }

  private challengeFor(endpoint: Endpoint): Promise<Challenge | undefined> {
    const known = this.state.challenges.get(endpoint.origin);
    if (known) return known;
    const ping = this.ping(endpoint);
    this.state.challenges.set(endpoint.origin, ping);
    // A failed ping (registry down) must not be remembered: the next attempt pings again.
    ping.catch(() => this.state.challenges.delete(endpoint.origin));
    return ping;
  }

  private async ping(endpoint: Endpoint): Promise<Challenge | undefined> {
    const url = new URL('/v2/', endpoint.origin);
    const res = await this.transport.send({ method: 'GET', url });
    await res.body.dump();
    if (res.status === 401)
      return preferredChallenge(parseChallenges(allHeaders(res.headers, 'www-authenticate')));
    if (res.status >= 200 && res.status < 300) return undefined;
    if (res.status === 404)
      throw DomainError.unsupported(`${endpoint.origin} does not implement the registry API v2`);
    throw new DomainError(
      res.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL',
      `ping of ${url.href} failed with status ${res.status}`,
      {
        status: res.status,
        temporary: res.status >= 500 || res.status === 429,
      },
    );
  }
}
