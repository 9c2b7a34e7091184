import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { pullImage } from '../../test/pull-image';
import { RegistryClient } from '../client';
import { processCredentialHelper } from './credential-helper';
import { CredentialsProvider } from './credentials';
import { dockerConfigCredentials, loadDockerConfig } from './docker-config';
import { registryAuthCredentials } from './registry-auth-header';
import { must } from '../../test/must';

let basic: RegistryHandle;
let token: RegistryHandle;
let basicFixtures: Fixtures;
let tokenFixtures: Fixtures;
let dir: string;

beforeAll(async () => {
  [basic, token] = await Promise.all([
    startRegistry({ auth: 'htpasswd' }),
    startRegistry({ auth: 'token' }),
  ]);
  [basicFixtures, tokenFixtures] = await Promise.all([pushFixtures(basic), pushFixtures(token)]);
  dir = await mkdtemp(join(tmpdir(), 'registry-client-creds-'));
}, 120_000);

afterAll(async () => {
  await Promise.all([
    basic?.stop(),
    token?.stop(),
    dir ? rm(dir, { recursive: true, force: true }) : undefined,
  ]);
});

async function pullWith(credentials: CredentialsProvider, ref: string): Promise<string> {
  const client = new RegistryClient({ credentials });
  try {
    return (await pullImage(client, ref)).topDigest;
  } finally {
    await client.close();
  }
}

/** writeHelper installs a real `docker-credential-<name>` program that knows one server (shell builtins only). */
async function writeHelper(
  name: string,
  server: string,
  username: string,
  secret: string,
): Promise<string> {
  const bin = await mkdtemp(join(dir, 'bin-'));
  const script = `#!/bin/sh
read -r server
if [ "$server" = "${server}" ]; then
  printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "$server" '${username}' '${secret}'
  exit 0
fi
echo "credentials not found in native keychain"
exit 1
`;
  await writeFile(join(bin, `docker-credential-${name}`), script);
  await chmod(join(bin, `docker-credential-${name}`), 0o755);
  return bin;
}

describe('docker config.json credentials', () => {
  it('pulls from a Basic-auth registry with an inline base64 auth entry', async () => {
    const { username, password } = must(basic.credentials, 'credentials');
    const file = join(dir, 'inline.json');
    await writeFile(
      file,
      JSON.stringify({
        auths: {
          [`http://${basic.host}/v2/`]: {
            auth: Buffer.from(`${username}:${password}`).toString('base64'),
          },
        },
      }),
    );
    const provider = dockerConfigCredentials(
      await loadDockerConfig(file),
      processCredentialHelper({ searchPath: [] }),
    );
    expect(await pullWith(provider, basicFixtures.busybox.reference)).toBe(
      basicFixtures.busybox.manifestDigest,
    );
  });

  it('runs the credHelpers program for the registry and uses what it prints', async () => {
    const { username, password } = must(token.credentials, 'credentials');
    const bin = await writeHelper('stevedoretest', token.host, username, password);
    const config = {
      auths: { [token.host]: {} },
      credsStore: 'absent-store',
      credHelpers: { [token.host]: 'stevedoretest' },
    };
    const provider = dockerConfigCredentials(
      config,
      processCredentialHelper({ searchPath: [bin] }),
    );
    expect(await pullWith(provider, tokenFixtures.multiLayer.reference)).toBe(
      tokenFixtures.multiLayer.manifestDigest,
    );
  });

  it('treats a missing helper program as no credentials', async () => {
    const provider = dockerConfigCredentials(
      { credsStore: 'not-installed' },
      processCredentialHelper({ searchPath: [dir] }),
    );
    await expect(provider.get(token.host)).resolves.toBeUndefined();
  });

  it('exchanges an identity token with the OAuth2 refresh-token POST', async () => {
    const { username, password } = must(token.credentials, 'credentials');
    const realm = new URL(must(token.tokenRealm, 'token realm'));
    realm.search = new URLSearchParams({
      service: must(token.service, 'service'),
      offline_token: 'true',
      client_id: 'test-login',
    }).toString();
    const login = await request(realm, {
      headers: {
        authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      },
    });
    const { refresh_token: refreshToken } = (await login.body.json()) as { refresh_token: string };
    const bin = await writeHelper('identity', token.host, '<token>', refreshToken);
    const provider = dockerConfigCredentials(
      { credsStore: 'identity' },
      processCredentialHelper({ searchPath: [bin] }),
    );
    const before = token.tokenRequests().length;
    expect(await pullWith(provider, tokenFixtures.busybox.reference)).toBe(
      tokenFixtures.busybox.manifestDigest,
    );
    expect(token.tokenRequests().slice(before)).toEqual([
      expect.objectContaining({
        method: 'POST',
        grantType: 'refresh_token',
        clientId: 'stevedore',
        status: 200,
        account: username,
      }),
    ]);
  });
});

describe('X-Registry-Auth credentials', () => {
  const header = (body: object): string => Buffer.from(JSON.stringify(body)).toString('base64url');

  it('pulls with the credentials of the header, for the registry the request names', async () => {
    const provider = registryAuthCredentials(
      header({ ...must(token.credentials, 'credentials'), serveraddress: token.host }),
      token.host,
    );
    expect(await pullWith(provider, tokenFixtures.busybox.reference)).toBe(
      tokenFixtures.busybox.manifestDigest,
    );
  });

  it('treats {} as anonymous, which the token registry refuses', async () => {
    const provider = registryAuthCredentials(header({}), token.host);
    await expect(pullWith(provider, tokenFixtures.busybox.reference)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
