import { request } from 'undici';
import { pushFixtures, RegistryHandle, startRegistry } from '../../index';

interface TokenBody {
  token?: string;
  access_token: string;
  expires_in: number;
  issued_at: string;
  refresh_token?: string;
  scope?: string;
}

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('token-auth registry and its token server', () => {
  let registry: RegistryHandle;
  let manifestPath: string;
  const scope = 'repository:library/busybox:pull';

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' });
    const { busybox } = await pushFixtures(registry);
    manifestPath = `/v2/library/busybox/manifests/${busybox.manifestDigest}`;
  });
  afterAll(async () => {
    await registry?.stop();
  });

  async function getToken(authorization?: string): Promise<{ status: number; body: TokenBody }> {
    const url = `${registry.tokenRealm}?service=${registry.service}&scope=${encodeURIComponent(scope)}&account=tester`;
    const res = await request(url, { headers: authorization ? { authorization } : {} });
    return { status: res.statusCode, body: (await res.body.json()) as TokenBody };
  }

  async function pullManifest(token: string): Promise<number> {
    const res = await request(`${registry.url}${manifestPath}`, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    await res.body.dump();
    return res.statusCode;
  }

  async function postForm(
    form: Record<string, string>,
  ): Promise<{ status: number; body: TokenBody }> {
    const res = await request(registry.tokenRealm ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.statusCode, body: (await res.body.json()) as TokenBody };
  }

  it('challenges with the token realm and service', async () => {
    const res = await request(`${registry.url}/v2/`);
    await res.body.dump();
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer realm="${registry.tokenRealm}",service="${registry.service}"`,
    );
  });

  it('issues an RS256 JWT with an x5c chain that lets the right user pull', async () => {
    const { status, body } = await getToken(basic('tester', 'secret-pass'));
    expect(status).toBe(200);
    expect(body.token).toBe(body.access_token);
    expect(body).toMatchObject({ expires_in: 300, issued_at: expect.any(String) });
    const header = JSON.parse(
      Buffer.from(body.access_token.split('.')[0] ?? '', 'base64url').toString(),
    ) as { alg: string; x5c: string[] };
    expect(header.alg).toBe('RS256');
    expect(header.x5c).toHaveLength(1);
    expect(await pullManifest(body.access_token)).toBe(200);
  });

  it('gives anonymous callers a token without access, which the registry refuses', async () => {
    const { status, body } = await getToken();
    expect(status).toBe(200);
    expect(await pullManifest(body.access_token)).toBe(401);
  });

  it('refuses a wrong password with 401 and records no secret', async () => {
    const { status } = await getToken(basic('tester', 'not-the-password'));
    expect(status).toBe(401);
    const last = registry.tokenRequests().at(-1);
    expect(last).toMatchObject({
      method: 'GET',
      status: 401,
      authenticated: true,
      granted: [],
      account: 'tester',
    });
    expect(JSON.stringify(registry.tokenRequests())).not.toMatch(/not-the-password|secret-pass/);
  });

  it('supports the OAuth2 POST form: password grant, then refresh_token grant returning the same refresh token', async () => {
    const first = await postForm({
      grant_type: 'password',
      username: 'tester',
      password: 'secret-pass',
      service: registry.service ?? '',
      client_id: 'spec',
      access_type: 'offline',
      scope,
    });
    expect(first.status).toBe(200);
    expect(first.body.scope).toBe(scope);
    const refresh = first.body.refresh_token ?? '';
    expect(refresh).not.toBe('');
    const second = await postForm({
      grant_type: 'refresh_token',
      refresh_token: refresh,
      service: registry.service ?? '',
      client_id: 'spec',
      scope,
    });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBe(refresh);
    expect(await pullManifest(second.body.access_token)).toBe(200);
    expect(registry.tokenRequests().slice(-2)).toEqual([
      expect.objectContaining({
        method: 'POST',
        grantType: 'password',
        account: 'tester',
        clientId: 'spec',
        status: 200,
      }),
      expect.objectContaining({
        method: 'POST',
        grantType: 'refresh_token',
        account: 'tester',
        status: 200,
      }),
    ]);
  });

  it('rejects unknown refresh tokens, unknown grant types and foreign services', async () => {
    expect(
      (await postForm({ grant_type: 'refresh_token', refresh_token: 'forged', scope })).status,
    ).toBe(401);
    expect((await postForm({ grant_type: 'client_credentials', scope })).status).toBe(400);
    const res = await request(
      `${registry.tokenRealm}?service=other&scope=${encodeURIComponent(scope)}`,
    );
    await res.body.dump();
    expect(res.statusCode).toBe(400);
  });

  it('recorded the token requests skopeo made while pushing, with credentials and push scopes', () => {
    const pushes = registry.tokenRequests().filter((r) => r.scopes.some((s) => s.includes('push')));
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes[0]).toMatchObject({
      method: 'GET',
      account: 'tester',
      authenticated: true,
      status: 200,
    });
  });
});
