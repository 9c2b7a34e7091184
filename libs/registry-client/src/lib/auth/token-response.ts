import { DomainError } from '@stevedore/domain';

/** TokenGrant is a bearer token with the instant it stops being valid, plus an OAuth refresh token if one came back. */
export interface TokenGrant {
  readonly token: string;
  readonly expiresAt: Date;
  readonly refreshToken?: string;
}

/** MIN_TOKEN_LIFETIME_S is the lifetime assumed when a token server sends none or less (distribution's rule). */
export const MIN_TOKEN_LIFETIME_S = 60;

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * parseTokenResponse reads a token server's JSON answer (§4.2–4.3): prefers `access_token` over
 * `token`, treats a missing or short `expires_in` as 60 s, and counts the lifetime from `issued_at`
 * when present, else from `receivedAt`. Throws UNAUTHORIZED `no token in response` when neither token
 * field is set.
 */
export function parseTokenResponse(body: unknown, receivedAt: Date): TokenGrant {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const token = stringField(record, 'access_token') ?? stringField(record, 'token');
  if (!token) throw new DomainError('UNAUTHORIZED', 'no token in response');
  const rawExpires = record['expires_in'];
  const lifetime =
    typeof rawExpires === 'number' && rawExpires > MIN_TOKEN_LIFETIME_S
      ? rawExpires
      : MIN_TOKEN_LIFETIME_S;
  const issuedText = stringField(record, 'issued_at');
  const issued = issuedText ? new Date(issuedText) : receivedAt;
  const start = Number.isNaN(issued.getTime()) ? receivedAt : issued;
  const refreshToken = stringField(record, 'refresh_token');
  return {
    token,
    expiresAt: new Date(start.getTime() + lifetime * 1000),
    ...(refreshToken ? { refreshToken } : {}),
  };
}
