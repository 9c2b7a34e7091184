import { AnonymousPull } from '@stevedore/config';
import { RequestHeaders } from './access.types';
import { BasicCredentials, decodeBasic } from './basic-credentials';
import { basicChallenge, errorBody } from './challenge';
import { Htpasswd } from './htpasswd';
import { anonymousMayPull, authorizationOf } from './needs';
import { parseScopes, ResourceAccess } from './scope';
import { TokenService } from './token-service';

/** A token request as the listener received it: the query, and the form body of a POST. */
export interface TokenRequest {
  method: string;
  query: URLSearchParams;
  form?: URLSearchParams | undefined;
  headers: RequestHeaders;
  remoteAddress: string | undefined;
}

/** The endpoint's answer: status, headers and a JSON body (a token, or the spec's error form). */
export interface TokenResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * TokenEndpoint is the built-in Docker token server: `GET ?service&scope&account` with Basic
 * credentials (what dockerd and skopeo send) and the OAuth2 `POST` password grant. A known user
 * is granted every action it asks for, an anonymous client only `pull` where `anonymous-pull` lets
 * it (and otherwise a token granting nothing, as Docker Hub answers); wrong credentials are a 401.
 * No refresh tokens are issued: clients keep the password and ask again.
 */
export class TokenEndpoint {
  constructor(
    private readonly htpasswd: Htpasswd,
    private readonly tokens: TokenService,
    private readonly anonymousPull: AnonymousPull,
    private readonly realm: string,
  ) {}

  async handle(request: TokenRequest): Promise<TokenResponse> {
    const form = request.method === 'POST' ? (request.form ?? new URLSearchParams()) : undefined;
    if (form && form.get('grant_type') !== 'password') {
      return reply(400, errorBody('UNSUPPORTED', 'only the password grant is supported'));
    }
    const credentials = form
      ? formCredentials(form)
      : decodeBasic(authorizationOf(request.headers));
    const requested = parseScopes(form ? [form.get('scope') ?? ''] : request.query.getAll('scope'));
    if (credentials === undefined) return this.anonymous(requested, request.remoteAddress);
    if (!(await this.htpasswd.verify(credentials.username, credentials.password))) {
      const refusal = reply(401, errorBody('UNAUTHORIZED', 'invalid username or password'));
      refusal.headers['WWW-Authenticate'] = basicChallenge(this.realm);
      return refusal;
    }
    return this.grant(credentials.username, requested);
  }

  private async anonymous(requested: ResourceAccess[], remote: string | undefined) {
    const mayPull = anonymousMayPull(this.anonymousPull, remote);
    const pulls = requested
      .filter((a) => a.type === 'repository' && mayPull)
      .map((a) => ({ ...a, actions: a.actions.filter((x) => x === 'pull') }))
      .filter((a) => a.actions.length > 0);
    return this.grant('', pulls);
  }

  private async grant(subject: string, access: ResourceAccess[]): Promise<TokenResponse> {
    const issued = await this.tokens.issue(subject, access);
    return reply(200, {
      token: issued.token,
      access_token: issued.token,
      expires_in: issued.expiresIn,
      issued_at: issued.issuedAt.toISOString(),
    });
  }
}

function formCredentials(form: URLSearchParams): BasicCredentials | undefined {
  const username = form.get('username');
  if (!username) return undefined;
  return { username, password: form.get('password') ?? '' };
}

function reply(status: number, body: unknown): TokenResponse {
  // Tokens are credentials: no cache may keep them.
  return { status, headers: { 'Cache-Control': 'no-store' }, body };
}
