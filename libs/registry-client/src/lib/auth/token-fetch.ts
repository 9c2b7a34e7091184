import { DomainError } from '@stevedore/domain';
import { basicAuthorization } from '../credentials/basic-auth';
import { RegistryCredentials } from '../credentials/credentials';
import { registryError } from '../errors/distribution-error';
import { firstHeader } from '../http/headers';
import { readCapped, readErrorText } from '../http/read-capped';
import { parseRetryAfter } from '../http/retry-after';
import { HttpRequest, HttpResponse, Transport } from '../http/transport';
import { safeLocation } from '../http/transport-error';
import { TokenGrant, parseTokenResponse } from './token-response';

/** TokenRequest names what to ask a token server for. */
export interface TokenRequest {
  readonly realm: string;
  readonly service?: string;
  readonly scopes: readonly string[];
  readonly credentials?: RegistryCredentials;
  /** OAuth client id sent with POST requests. */
  readonly clientId: string;
}

const MAX_TOKEN_BODY = 1024 * 1024;

function realmUrl(realm: string): URL {
  try {
    const url = new URL(realm);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // fall through to the error below
  }
  throw DomainError.invalidArgument(`invalid token realm "${realm}" in the registry's challenge`);
}

/** buildTokenGet builds the GET form of a token request (§4.2, T10): one `scope` parameter per scope. */
export function buildTokenGet(req: TokenRequest): HttpRequest {
  const url = realmUrl(req.realm);
  if (req.service) url.searchParams.set('service', req.service);
  for (const scope of req.scopes) url.searchParams.append('scope', scope);
  const { username, password } = req.credentials ?? {};
  if (username) url.searchParams.set('account', username);
  const headers: Record<string, string> = username
    ? { authorization: basicAuthorization(username, password ?? '') }
    : {};
  return { method: 'GET', url, headers };
}

/** buildTokenPost builds the OAuth2 refresh-token form (§4.3, T10): scopes joined by spaces in one field. */
export function buildTokenPost(req: TokenRequest, refreshToken: string): HttpRequest {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: req.clientId,
  });
  if (req.service) form.set('service', req.service);
  if (req.scopes.length > 0) form.set('scope', req.scopes.join(' '));
  return {
    method: 'POST',
    url: realmUrl(req.realm),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  };
}

function tokenServerMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const message = body['details'] ?? body['error_description'] ?? body['message'];
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

async function failure(res: HttpResponse, req: HttpRequest): Promise<DomainError> {
  const text = await readErrorText(res.body);
  const where = safeLocation(req.url);
  const retryAfterMs = parseRetryAfter(firstHeader(res.headers, 'retry-after'));
  const base = registryError(
    {
      method: req.method,
      where,
      status: res.status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    },
    text,
  );
  const own = tokenServerMessage(text);
  const message =
    own ??
    (base.details?.['registryCode']
      ? base.message
      : `token request to ${where} failed with status ${res.status}`);
  return new DomainError(base.code, message, base.details);
}

/**
 * fetchToken obtains a bearer token: the OAuth2 POST refresh-token form when the credentials hold an
 * identity token, else the GET form (anonymous, or Basic credentials with `account=`). A non-200
 * answer becomes a DomainError carrying the token server's own message (401 → UNAUTHORIZED).
 */
export async function fetchToken(transport: Transport, req: TokenRequest): Promise<TokenGrant> {
  const identity = req.credentials?.identityToken;
  const httpReq = identity ? buildTokenPost(req, identity) : buildTokenGet(req);
  const res = await transport.send(httpReq);
  if (res.status !== 200) throw await failure(res, httpReq);
  const bytes = await readCapped(res.body, MAX_TOKEN_BODY, 'token response');
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DomainError(
      'UNAUTHORIZED',
      `token server ${safeLocation(httpReq.url)} answered with invalid JSON`,
    );
  }
  return parseTokenResponse(body, new Date());
}
