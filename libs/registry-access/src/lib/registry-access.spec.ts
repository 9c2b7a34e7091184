import bcrypt from 'bcryptjs';
import { generateKeyPairSync } from 'node:crypto';
import { AccessRequest } from './access.types';
import { BasicAccess } from './basic-access';
import { Htpasswd } from './htpasswd';
import { LoopbackOnlyAccess } from './registry-access';
import { parseScopes } from './scope';
import { TokenAccess } from './token-access';
import { TokenEndpoint } from './token-endpoint';
import { tokenKeysOf } from './token-keys';
import { TokenService } from './token-service';

const PASSWORD = 'hunter2-long-enough';
const htpasswd = Htpasswd.parse(`# users\nalice:${bcrypt.hashSync(PASSWORD, 4)}\n`);
const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const LOOPBACK = '127.0.0.1';
const REMOTE = '10.1.2.3';

function req(
  actions: AccessRequest['actions'],
  authorization?: string,
  remoteAddress = LOOPBACK,
): AccessRequest {
  return {
    method: 'GET',
    repository: 'team/app',
    actions,
    headers: { host: 'reg.test:5000', ...(authorization ? { authorization } : {}) },
    remoteAddress,
  };
}

async function tokenSetup(now?: () => Date) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keys = await tokenKeysOf(privateKey);
  const opts = { keys, issuer: 'iss', service: 'svc', expirySeconds: 300 };
  const tokens = new TokenService(now ? { ...opts, now } : opts);
  return {
    keys,
    tokens,
    access: new TokenAccess(tokens, 'loopback', undefined),
    endpoint: new TokenEndpoint(htpasswd, tokens, 'loopback', 'Stevedore Registry'),
  };
}

describe('parseScopes', () => {
  it('splits on the first and last colon, so a host:port name survives', () => {
    expect(parseScopes(['repository:127.0.0.1:5000/a/b:pull,push registry:catalog:*'])).toEqual([
      { type: 'repository', name: '127.0.0.1:5000/a/b', actions: ['pull', 'push'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
    expect(parseScopes(['repository(plugin):x:pull', 'nonsense', 'repository:x:fly'])).toEqual([
      { type: 'repository', name: 'x', actions: ['pull'] },
    ]);
  });
});

describe('Htpasswd', () => {
  it('accepts the right password only, and refuses non-bcrypt entries naming the line only', async () => {
    await expect(htpasswd.verify('alice', PASSWORD)).resolves.toBe(true);
    await expect(htpasswd.verify('alice', 'wrong')).resolves.toBe(false);
    await expect(htpasswd.verify('bob', PASSWORD)).resolves.toBe(false);
    expect(() => Htpasswd.parse('bob:{SHA}secrethash=')).toThrow(/^htpasswd line 1/);
    expect(() => Htpasswd.parse('bob:{SHA}secrethash=')).not.toThrow(/secrethash/);
  });
});

describe('LoopbackOnlyAccess (no registry-auth)', () => {
  it('lets loopback clients do anything and refuses others with 403', async () => {
    const access = new LoopbackOnlyAccess();
    await expect(
      access.authorize(req(['push'], undefined, '::ffff:127.0.0.1')),
    ).resolves.toMatchObject({ allowed: true });
    await expect(access.authorize(req(['pull'], undefined, REMOTE))).resolves.toMatchObject({
      allowed: false,
      status: 403,
    });
  });
});

describe('BasicAccess', () => {
  const access = new BasicAccess(htpasswd, 'Stevedore Registry', 'loopback');

  it('lets a known user push, and answers a wrong password with 401 and a Basic challenge', async () => {
    await expect(
      access.authorize(req(['pull', 'push'], basic('alice', PASSWORD))),
    ).resolves.toEqual({ allowed: true, identity: 'user:alice' });
    const refused = await access.authorize(req(['pull'], basic('alice', 'nope')));
    expect(refused).toMatchObject({ allowed: false, status: 401 });
    expect(refused.allowed || refused.headers['WWW-Authenticate']).toBe(
      'Basic realm="Stevedore Registry",charset="UTF-8"',
    );
    expect(JSON.stringify(refused)).not.toContain('nope');
  });

  it('lets anonymous loopback clients pull but not push, nor pass the base check', async () => {
    await expect(access.authorize(req(['pull']))).resolves.toMatchObject({ allowed: true });
    await expect(access.authorize(req('catalog'))).resolves.toMatchObject({ allowed: true });
    await expect(access.authorize(req(['pull'], undefined, REMOTE))).resolves.toMatchObject({
      status: 401,
    });
    await expect(access.authorize(req(['push']))).resolves.toMatchObject({ status: 401 });
    await expect(access.authorize(req([]))).resolves.toMatchObject({ status: 401 });
  });
});

describe('the token flow', () => {
  it('issues a token for the scopes asked for, and a pull token cannot push', async () => {
    const { access, endpoint } = await tokenSetup();
    const answer = await endpoint.handle({
      method: 'GET',
      query: new URLSearchParams('service=svc&scope=repository:team/app:pull&account=alice'),
      headers: { authorization: basic('alice', PASSWORD) },
      remoteAddress: REMOTE,
    });
    expect(answer.status).toBe(200);
    const { token } = answer.body as { token: string };
    const bearer = `Bearer ${token}`;
    await expect(access.authorize(req(['pull'], bearer, REMOTE))).resolves.toEqual({
      allowed: true,
      identity: 'token:alice',
    });
    const push = await access.authorize(req(['pull', 'push'], bearer, REMOTE));
    expect(push).toMatchObject({ allowed: false, status: 401 });
    expect(push.allowed || push.headers['WWW-Authenticate']).toBe(
      'Bearer realm="http://reg.test:5000/auth/token",service="svc",' +
        'scope="repository:team/app:pull,push",error="insufficient_scope"',
    );
  });

  it('answers wrong credentials at the token endpoint with 401 and no token', async () => {
    const { endpoint } = await tokenSetup();
    const answer = await endpoint.handle({
      method: 'GET',
      query: new URLSearchParams('scope=repository:team/app:push'),
      headers: { authorization: basic('alice', 'wrong') },
      remoteAddress: LOOPBACK,
    });
    expect(answer.status).toBe(401);
    expect(answer.headers['WWW-Authenticate']).toMatch(/^Basic realm=/);
    expect(JSON.stringify(answer.body)).not.toMatch(/token|wrong/);
  });

  it('grants an anonymous client pull only, and only from loopback', async () => {
    const { access, endpoint } = await tokenSetup();
    const ask = async (remoteAddress: string) => {
      const query = new URLSearchParams('scope=repository:team/app:pull,push');
      const answer = await endpoint.handle({ method: 'GET', query, headers: {}, remoteAddress });
      return `Bearer ${(answer.body as { token: string }).token}`;
    };
    const local = await ask(LOOPBACK);
    await expect(access.authorize(req(['pull'], local))).resolves.toMatchObject({ allowed: true });
    await expect(access.authorize(req(['push'], local))).resolves.toMatchObject({ status: 401 });
    const remote = await ask(REMOTE);
    await expect(access.authorize(req(['pull'], remote, REMOTE))).resolves.toMatchObject({
      status: 401,
    });
  });

  it('refuses expired, foreign and forged tokens with error="invalid_token"', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { tokens, access } = await tokenSetup(() => now);
    const { token } = await tokens.issue('alice', parseScopes(['repository:team/app:pull']));
    now = new Date('2026-01-01T00:10:00Z');
    const expired = await access.authorize(req(['pull'], `Bearer ${token}`, REMOTE));
    expect(expired.allowed || expired.headers['WWW-Authenticate']).toMatch(/invalid_token/);
    const other = await tokenSetup();
    const foreign = await other.tokens.issue('alice', parseScopes(['repository:team/app:pull']));
    await expect(
      access.authorize(req(['pull'], `Bearer ${foreign.token}`, REMOTE)),
    ).resolves.toMatchObject({ status: 401 });
  });

  it('checks the audience: a token for another service does not verify', async () => {
    const { keys, tokens } = await tokenSetup();
    const { privateKey } = generateKeyPairSync('ed25519');
    expect((await tokenKeysOf(privateKey)).alg).toBe('EdDSA');
    const { token } = await tokens.issue('alice', []);
    const sameKeyOtherService = new TokenService({
      keys,
      issuer: 'iss',
      service: 'other',
      expirySeconds: 300,
    });
    await expect(sameKeyOtherService.verify(token)).resolves.toBeUndefined();
  });
});
