import { decodeAuthField } from './basic-auth';
import { CredentialHelper } from './credential-helper';
import { dockerConfigCredentials, findAuthEntry } from './docker-config';
import { decodeRegistryAuthHeader, registryAuthCredentials } from './registry-auth-header';

describe('decodeAuthField (T14)', () => {
  it.each([
    { auth: 'dXNlcjpwYXNz', username: 'user', password: 'pass' },
    { auth: 'dXNlcjpwYTpzcw==', username: 'user', password: 'pa:ss' },
    { auth: 'dXNlcjpwYXNzAAA=', username: 'user', password: 'pass' },
  ])('$auth → $username / $password', ({ auth, username, password }) => {
    expect(decodeAuthField(auth)).toEqual({ username, password });
  });

  it.each([
    { auth: 'OnBhc3M=', error: /empty username/ },
    { auth: 'dXNlcnBhc3M=', error: /no colon/ },
    { auth: 'not base64!', error: /not base64/ },
  ])('$auth is refused', ({ auth, error }) => {
    expect(() => decodeAuthField(auth)).toThrow(error);
  });

  it('never echoes the secret in its errors', () => {
    const auth = Buffer.from('s3cr3t-without-colon').toString('base64');
    expect(() => decodeAuthField(auth)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cr3t') }),
    );
  });
});

/** A credential-helper port that answers from a table and records what it was asked. */
function tableHelper(
  table: Record<string, Record<string, { Username: string; Secret: string }>>,
): CredentialHelper & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async get(name, server) {
      asked.push(`${name} ${server}`);
      const found = table[name]?.[server];
      if (!found) return undefined;
      return found.Username === '<token>'
        ? { identityToken: found.Secret }
        : { username: found.Username, password: found.Secret };
    },
  };
}

describe('docker config lookups (T14)', () => {
  const config = {
    auths: {
      'https://index.docker.io/v1/': { auth: 'dXNlcjpwYXNz' },
      'https://registry.example.com:5000/v2/': { auth: 'dXNlcjpwYTpzcw==' },
      'ghcr.io': {},
    },
    credsStore: 'desktop',
    credHelpers: { 'gcr.io': 'gcloud' },
  };

  it('stores Docker Hub under https://index.docker.io/v1/ and matches keys by host', () => {
    expect(findAuthEntry(config, 'docker.io')).toEqual({ auth: 'dXNlcjpwYXNz' });
    expect(findAuthEntry(config, 'registry.example.com:5000')).toEqual({
      auth: 'dXNlcjpwYTpzcw==',
    });
    expect(findAuthEntry(config, 'other.example.com')).toBeUndefined();
  });

  it('asks credHelpers before credsStore, and reads a <token> username as an identity token', async () => {
    const helper = tableHelper({ gcloud: { 'gcr.io': { Username: '<token>', Secret: 'rt' } } });
    const creds = await dockerConfigCredentials(config, helper).get('gcr.io');
    expect(creds).toEqual({ identityToken: 'rt' });
    expect(helper.asked).toEqual(['gcloud gcr.io']);
  });

  it('asks credsStore with the Hub key, then falls back to the inline auths entry', async () => {
    const helper = tableHelper({});
    const creds = await dockerConfigCredentials(config, helper).get('docker.io');
    expect(helper.asked).toEqual(['desktop https://index.docker.io/v1/']);
    expect(creds).toEqual({ username: 'user', password: 'pass' });
  });

  it('treats an empty auths placeholder as anonymous', async () => {
    const creds = await dockerConfigCredentials({ auths: { 'ghcr.io': {} } }, tableHelper({})).get(
      'ghcr.io',
    );
    expect(creds).toEqual({});
  });
});

describe('X-Registry-Auth', () => {
  const encode = (value: object, alphabet: 'base64' | 'base64url') =>
    Buffer.from(JSON.stringify(value)).toString(alphabet);
  const body = { username: 'u?>', password: 'p~~~>>', serveraddress: 'registry.example.com' };

  it.each([
    ['base64url without padding', encode(body, 'base64url')],
    ['standard base64 with padding', encode(body, 'base64')],
  ])('decodes %s', (_name, header) => {
    expect(decodeRegistryAuthHeader(header)).toEqual({
      credentials: { username: 'u?>', password: 'p~~~>>' },
      serverAddress: 'registry.example.com',
    });
  });

  it('reads {} and an empty header as anonymous', () => {
    expect(decodeRegistryAuthHeader(encode({}, 'base64url'))).toEqual({});
    expect(decodeRegistryAuthHeader('')).toEqual({});
  });

  it('prefers the auth field and keeps identity tokens', () => {
    expect(
      decodeRegistryAuthHeader(
        encode({ auth: 'dXNlcjpwYXNz', username: 'x', identitytoken: 'it' }, 'base64url'),
      ).credentials,
    ).toEqual({
      username: 'user',
      password: 'pass',
      identityToken: 'it',
    });
  });

  it('refuses garbage without echoing it', () => {
    expect(() => decodeRegistryAuthHeader('!!secret!!')).toThrow(/invalid X-Registry-Auth header/);
    expect(() => decodeRegistryAuthHeader(Buffer.from('secret').toString('base64'))).toThrow(
      expect.objectContaining({ message: 'invalid X-Registry-Auth header: not JSON' }),
    );
  });

  it('serves the credentials only to the registry the request names', async () => {
    const provider = registryAuthCredentials(
      encode({ username: 'u', password: 'p' }, 'base64url'),
      'docker.io',
    );
    await expect(provider.get('docker.io')).resolves.toEqual({ username: 'u', password: 'p' });
    await expect(provider.get('127.0.0.1:5000')).resolves.toBeUndefined();
  });
});
