import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { boundPort, closeServer, listen } from '../support/net';
import { TokenAccess, TokenRequestRecord } from './registry.types';
import { decodeBasic, formatScopes, parseScopes } from './token-scope';
import { TokenSigner } from './token-signer';

/** TokenServerOptions configures {@link startTokenServer}. */
export interface TokenServerOptions {
  signer: TokenSigner;
  service: string;
  issuer: string;
  username: string;
  password: string;
  ttlSeconds: number;
}

/** TokenServer is a running token endpoint (distribution token spec, GET and OAuth2 POST forms). */
export interface TokenServer {
  readonly realm: string;
  requests(): TokenRequestRecord[];
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_FORM_BYTES = 64 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    throw new HttpError(
      400,
      'invalid_request',
      'POST body must be application/x-www-form-urlencoded',
    );
  }
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new HttpError(413, 'invalid_request', 'form too large');
  }
  return new URLSearchParams(body);
}

/** startTokenServer listens on 127.0.0.1:0 and issues tokens for the one configured user. */
export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  const records: TokenRequestRecord[] = [];
  const refreshTokens = new Map<string, string>();
  const issuer = new TokenIssuer(opts, refreshTokens);
  const server: Server = createServer((req, res) => void issuer.handle(req, res, records));
  await listen(server);
  server.unref();
  return {
    realm: `http://127.0.0.1:${boundPort(server)}/token`,
    requests: () => records.map((r) => ({ ...r })),
    stop: () => {
      // Clients keep idle keep-alive connections; close() alone would wait for them to time out.
      server.closeAllConnections();
      return closeServer(server);
    },
  };
}

function sendError(res: ServerResponse, err: unknown): void {
  const e =
    err instanceof HttpError ? err : new HttpError(500, 'server_error', 'token server failed');
  if (e.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Stevedore Token Server"');
  sendJson(res, e.status, { error: e.code, error_description: e.message, details: e.message });
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

class TokenIssuer {
  constructor(
    private readonly opts: TokenServerOptions,
    private readonly refreshTokens: Map<string, string>,
  ) {}

  /** handle answers one token request and appends its record to `log` (failures included). */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    log: TokenRequestRecord[],
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    if (url.pathname !== '/token')
      return sendError(res, new HttpError(404, 'not_found', 'no such endpoint'));
    if (req.method !== 'GET' && req.method !== 'POST') {
      return sendError(res, new HttpError(405, 'invalid_request', 'use GET or POST'));
    }
    const record: TokenRequestRecord = {
      method: req.method,
      scopes: [],
      authenticated: false,
      status: 0,
      granted: [],
    };
    log.push(record);
    try {
      const body =
        record.method === 'GET'
          ? this.answerGet(req, url, record)
          : await this.answerPost(req, record);
      record.status = 200;
      sendJson(res, 200, body);
    } catch (err) {
      record.status = err instanceof HttpError ? err.status : 500;
      record.granted = [];
      sendError(res, err);
    }
  }

  private answerGet(req: IncomingMessage, url: URL, record: TokenRequestRecord): object {
    const q = url.searchParams;
    record.scopes = q.getAll('scope');
    setOptional(record, 'service', q.get('service'));
    setOptional(record, 'account', q.get('account'));
    setOptional(record, 'clientId', q.get('client_id'));
    this.checkService(record.service);
    const basic = decodeBasic(req.headers.authorization);
    record.authenticated = basic !== undefined;
    if (basic) this.checkPassword(basic.username, basic.password);
    // Anonymous callers get a valid token with no access, so the registry itself answers 401.
    const granted = basic ? parseScopes(record.scopes) : [];
    record.granted = granted;
    const refresh =
      basic && q.get('offline_token') === 'true' ? this.newRefreshToken(basic.username) : undefined;
    return this.tokenBody(basic?.username ?? '', granted, { bothFields: true, refresh });
  }

  private async answerPost(req: IncomingMessage, record: TokenRequestRecord): Promise<object> {
    const form = await readForm(req);
    record.scopes = (form.get('scope') ?? '').split(' ').filter((s) => s.length > 0);
    setOptional(record, 'grantType', form.get('grant_type'));
    setOptional(record, 'service', form.get('service'));
    setOptional(record, 'clientId', form.get('client_id'));
    this.checkService(record.service);
    const username = this.authenticatePost(form, record);
    record.granted = parseScopes(record.scopes);
    const refresh = form.get('refresh_token') ?? this.newRefreshToken(username);
    return {
      ...this.tokenBody(username, record.granted, { bothFields: false, refresh }),
      scope: formatScopes(record.granted),
    };
  }

  private authenticatePost(form: URLSearchParams, record: TokenRequestRecord): string {
    record.authenticated = true;
    if (record.grantType === 'password') {
      const username = form.get('username') ?? '';
      setOptional(record, 'account', username);
      this.checkPassword(username, form.get('password') ?? '');
      return username;
    }
    if (record.grantType === 'refresh_token') {
      const owner = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (owner === undefined) throw new HttpError(401, 'invalid_grant', 'unknown refresh token');
      setOptional(record, 'account', owner);
      return owner;
    }
    throw new HttpError(
      400,
      'unsupported_grant_type',
      `unsupported grant_type ${record.grantType ?? '(none)'}`,
    );
  }

  private checkService(service: string | undefined): void {
    if (service !== undefined && service !== this.opts.service) {
      throw new HttpError(400, 'invalid_request', `unknown service ${service}`);
    }
  }

  private checkPassword(username: string, password: string): void {
    if (username !== this.opts.username || password !== this.opts.password) {
      throw new HttpError(401, 'invalid_grant', 'incorrect username or password');
    }
  }

  private newRefreshToken(username: string): string {
    const token = randomBytes(24).toString('hex');
    this.refreshTokens.set(token, username);
    return token;
  }

  private tokenBody(
    subject: string,
    access: TokenAccess[],
    o: { bothFields: boolean; refresh: string | undefined },
  ): object {
    const { issuer, service, ttlSeconds } = this.opts;
    const token = this.opts.signer.sign({ issuer, audience: service, subject, access, ttlSeconds });
    return {
      ...(o.bothFields ? { token } : {}),
      access_token: token,
      expires_in: ttlSeconds,
      issued_at: new Date().toISOString(),
      ...(o.refresh !== undefined ? { refresh_token: o.refresh } : {}),
    };
  }
}

function setOptional<K extends 'service' | 'account' | 'clientId' | 'grantType'>(
  record: TokenRequestRecord,
  key: K,
  value: string | null,
): void {
  if (value !== null) record[key] = value;
}
