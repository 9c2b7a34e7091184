import {
  Fixtures,
  HttpFaultProxy,
  RegistryHandle,
  pushFixtures,
  startHttpFaultProxy,
  startRegistry,
} from '@stevedore/testing';
import { must } from '../../test/must';
import { RegistryClient } from '../client';
import { staticCredentials } from '../credentials/credentials';

let registry: RegistryHandle;
let fixtures: Fixtures;
let proxy: HttpFaultProxy;
let client: RegistryClient;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' });
  fixtures = await pushFixtures(registry);
  proxy = await startHttpFaultProxy(registry.url);
  client = new RegistryClient({
    credentials: staticCredentials({ [proxy.host]: must(registry.credentials, 'credentials') }),
    retry: { baseDelayMs: 20 },
  });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await proxy?.stop();
  await registry?.stop();
});

const ref = (): string => `${proxy.host}/${fixtures.busybox.repository}:${fixtures.busybox.tag}`;

function invalidTokenChallenge(times: number): void {
  const realm = must(registry.tokenRealm, 'realm');
  const service = must(registry.service, 'service');
  proxy.setRule({
    pathPattern: /\/manifests\//,
    failStatus: {
      status: 401,
      times,
      headers: {
        'WWW-Authenticate': `Bearer realm="${realm}",service="${service}",error="invalid_token"`,
      },
    },
  });
}

describe('a token the registry calls invalid_token', () => {
  it('is dropped and fetched again, and the request is retried once', async () => {
    proxy.setRule(undefined);
    await client.getManifest(ref());
    const before = registry.tokenRequests().length;
    expect(await client.getManifest(ref())).toMatchObject({ kind: 'manifest' });
    expect(registry.tokenRequests().length).toBe(before);

    invalidTokenChallenge(1);
    const manifest = await client.getManifest(ref());
    expect(manifest.digest.toString()).toBe(fixtures.busybox.manifestDigest);
    expect(registry.tokenRequests().length).toBe(before + 1);
  });

  it('fails with UNAUTHORIZED when the fresh token is refused as well', async () => {
    invalidTokenChallenge(2);
    await expect(client.getManifest(ref())).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
