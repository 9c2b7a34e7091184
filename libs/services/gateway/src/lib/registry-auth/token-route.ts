import type { IncomingMessage, ServerResponse } from 'node:http';
import { TOKEN_PATH, TokenEndpoint } from '@stevedore/registry-access';

/** Injection token of the built-in token endpoint (token mode only). */
export const REGISTRY_TOKEN_ENDPOINT = Symbol('REGISTRY_TOKEN_ENDPOINT');

// A token request is a query string or a small form; anything bigger is not one.
const MAX_FORM_BYTES = 16 * 1024;

/**
 * serveToken answers `GET`/`POST /auth/token` on the registry listener from the built-in token
 * endpoint; false when the request is not for it. Tokens and passwords are never logged.
 */
export async function serveToken(
  endpoint: TokenEndpoint | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (!endpoint || url.pathname !== TOKEN_PATH) return false;
  const method = req.method ?? 'GET';
  const form = method === 'POST' ? new URLSearchParams(await readForm(req)) : undefined;
  const answer = await endpoint.handle({
    method,
    query: url.searchParams,
    form,
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress,
  });
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
  return true;
}

async function readForm(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_FORM_BYTES) throw new Error('token request body too large');
  }
  return text;
}
