import { AnonymousPull } from '@stevedore/config';
import { AccessDecision, AccessRequest, RegistryAccessController } from './access.types';
import { bearerToken } from './basic-credentials';
import { bearerChallenge, unauthorized } from './challenge';
import { anonymousMayPull, authorizationOf, isReadOnly, neededAccess, scopeOf } from './needs';
import { grants } from './scope';
import { TokenService } from './token-service';

/** The default token endpoint path on the registry listener. */
export const TOKEN_PATH = '/auth/token';

/**
 * TokenAccess wants a bearer token from the built-in token endpoint, as distribution's token
 * controller does: a bad or expired token gets `error="invalid_token"`, a token without the
 * needed action `error="insufficient_scope"` (so a pull token cannot push), both with the scope
 * to ask for. A request without a token may pull where `anonymous-pull` lets it.
 */
export class TokenAccess implements RegistryAccessController {
  constructor(
    private readonly tokens: TokenService,
    private readonly anonymousPull: AnonymousPull,
    private readonly realm: string | undefined,
  ) {}

  async authorize(request: AccessRequest): Promise<AccessDecision> {
    const need = neededAccess(request);
    const token = bearerToken(authorizationOf(request.headers));
    const challenge = (error?: 'invalid_token' | 'insufficient_scope') =>
      bearerChallenge({
        realm: this.realmFor(request),
        service: this.tokens.service,
        scope: scopeOf(need),
        error,
      });
    if (token === undefined) {
      if (isReadOnly(need) && anonymousMayPull(this.anonymousPull, request.remoteAddress)) {
        return { allowed: true, identity: undefined };
      }
      return unauthorized(challenge(), 'authentication required');
    }
    const claims = await this.tokens.verify(token);
    if (!claims) return unauthorized(challenge('invalid_token'), 'invalid or expired token');
    if (need && !grants(claims.access, need)) {
      return unauthorized(challenge('insufficient_scope'), 'insufficient scope', [need]);
    }
    // An anonymous token (empty subject) keys per-client limits by address, like no token at all.
    return { allowed: true, identity: claims.subject ? `token:${claims.subject}` : undefined };
  }

  /** realmFor is the configured realm, or the token endpoint on the host the client called. */
  realmFor(request: Pick<AccessRequest, 'headers'>): string {
    if (this.realm) return this.realm;
    const host = request.headers['host'];
    return `http://${typeof host === 'string' && host ? host : '127.0.0.1'}${TOKEN_PATH}`;
  }
}
