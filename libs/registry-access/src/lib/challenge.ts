import { OciErrorBody, AccessRefusal } from './access.types';

/** quote renders an auth-param value as an RFC 7230 quoted string. */
function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** basicChallenge is `Basic realm="…"`, as distribution's htpasswd controller sends it. */
export function basicChallenge(realm: string): string {
  return `Basic realm=${quote(realm)},charset="UTF-8"`;
}

/** bearerChallenge is `Bearer realm=…,service=…[,scope=…][,error=…]` (distribution's token controller). */
export function bearerChallenge(p: {
  realm: string;
  service: string;
  scope?: string | undefined;
  error?: 'invalid_token' | 'insufficient_scope' | undefined;
}): string {
  const params = [`realm=${quote(p.realm)}`, `service=${quote(p.service)}`];
  if (p.scope) params.push(`scope=${quote(p.scope)}`);
  if (p.error) params.push(`error=${quote(p.error)}`);
  return `Bearer ${params.join(',')}`;
}

/** errorBody is the spec's error JSON with one error. */
export function errorBody(code: string, message: string, detail?: unknown): OciErrorBody {
  return { errors: [{ code, message, ...(detail === undefined ? {} : { detail }) }] };
}

/** unauthorized is a 401 carrying the challenge; the message never echoes what the client sent. */
export function unauthorized(challenge: string, message: string, detail?: unknown): AccessRefusal {
  return {
    allowed: false,
    status: 401,
    headers: { 'WWW-Authenticate': challenge },
    body: errorBody('UNAUTHORIZED', message, detail),
  };
}

/** denied is a 403: no credentials would help this client. */
export function denied(message: string): AccessRefusal {
  return { allowed: false, status: 403, headers: {}, body: errorBody('DENIED', message) };
}
