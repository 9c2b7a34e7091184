import { parsePlatform } from '@stevedore/domain';
import {
  FixtureImage,
  Fixtures,
  RegistryAuth,
  RegistryHandle,
  pushFixtures,
  startRegistry,
} from '@stevedore/testing';
import { pullImage } from '../../test/pull-image';
import { RegistryClient } from '../client';
import { staticCredentials } from '../credentials/credentials';
import { must } from '../../test/must';

const variants: RegistryAuth[] = ['anonymous', 'htpasswd', 'token'];

interface Bed {
  registry: RegistryHandle;
  fixtures: Fixtures;
  client: RegistryClient;
}

const beds = new Map<RegistryAuth, Bed>();

function layersOf(image: FixtureImage): string[] {
  return (image.layers ?? []).map((l) => l.digest);
}

beforeAll(async () => {
  await Promise.all(
    variants.map(async (auth) => {
      const registry = await startRegistry({ auth });
      beds.set(auth, {
        registry,
        fixtures: undefined as unknown as Fixtures,
        client: undefined as unknown as RegistryClient,
      });
      const fixtures = await pushFixtures(registry);
      const credentials = registry.credentials
        ? staticCredentials({ [registry.host]: registry.credentials })
        : undefined;
      const client = new RegistryClient({
        ...(credentials ? { credentials } : {}),
        retry: { baseDelayMs: 50 },
      });
      beds.set(auth, { registry, fixtures, client });
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(
    [...beds.values()].map(async (bed) => {
      await bed.client?.close();
      await bed.registry.stop();
    }),
  );
});

function bed(auth: RegistryAuth): Bed {
  const found = beds.get(auth);
  if (!found) throw new Error(`no ${auth} registry`);
  return found;
}

describe.each(variants)('pull through a %s registry', (auth) => {
  it('pulls busybox: manifest, config and every layer verify', async () => {
    const { client, fixtures } = bed(auth);
    const pulled = await pullImage(client, fixtures.busybox.reference);
    expect(pulled.topDigest).toBe(fixtures.busybox.manifestDigest);
    expect(pulled.configDigest).toBe(fixtures.busybox.configDigest);
    expect(pulled.layerDigests).toEqual(layersOf(fixtures.busybox));
  });

  it('pulls the multi-layer image', async () => {
    const { client, fixtures } = bed(auth);
    const pulled = await pullImage(client, fixtures.multiLayer.reference);
    expect(pulled.manifestDigest).toBe(fixtures.multiLayer.manifestDigest);
    expect(pulled.layerDigests).toEqual(layersOf(fixtures.multiLayer));
    expect(pulled.layerDigests).toHaveLength(4);
  });

  it.each(['multiArch', 'manifestList'] as const)(
    'pulls each platform of %s through its index',
    async (name) => {
      const { client, fixtures } = bed(auth);
      const image = fixtures[name];
      expect(image.platforms?.length).toBeGreaterThanOrEqual(3);
      for (const entry of image.platforms ?? []) {
        const pulled = await pullImage(client, image.reference, parsePlatform(entry.platform));
        expect(pulled.topDigest).toBe(image.manifestDigest);
        expect(pulled.manifestDigest).toBe(entry.manifestDigest);
        expect(pulled.configDigest).toBe(entry.configDigest);
        expect(pulled.layerDigests).toEqual(entry.layers.map((l) => l.digest));
      }
    },
  );

  it('resolves a tag by HEAD to the digest the registry serves', async () => {
    const { client, fixtures } = bed(auth);
    const head = await client.resolve(fixtures.manifestList.reference);
    expect(head.digest.toString()).toBe(fixtures.manifestList.manifestDigest);
    expect(head.mediaType).toBe(fixtures.manifestList.mediaType);
  });

  it('reports an unknown tag as NOT_FOUND with the registry message', async () => {
    const { client, fixtures } = bed(auth);
    const ref = fixtures.busybox.reference.replace(/:latest$/, ':no-such-tag');
    await expect(client.getManifest(ref)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'manifest unknown',
    });
  });
});

describe('refused pulls', () => {
  it('gives UNAUTHORIZED with the registry message for a wrong htpasswd password', async () => {
    const { registry, fixtures } = bed('htpasswd');
    const client = new RegistryClient({
      credentials: staticCredentials({
        [registry.host]: { username: 'tester', password: 'wrong' },
      }),
    });
    try {
      const error = await client.getManifest(fixtures.busybox.reference).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: 'authentication required' });
      expect(JSON.stringify(error)).not.toContain('wrong');
    } finally {
      await client.close();
    }
  });

  it('gives UNAUTHORIZED with the token server message for a wrong token-auth password', async () => {
    const { registry, fixtures } = bed('token');
    const client = new RegistryClient({
      credentials: staticCredentials({
        [registry.host]: { username: 'tester', password: 'wrong' },
      }),
    });
    try {
      await expect(client.getManifest(fixtures.busybox.reference)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: 'incorrect username or password',
      });
    } finally {
      await client.close();
    }
  });

  it('gives UNAUTHORIZED with the registry message when pulling anonymously from token auth', async () => {
    const { fixtures } = bed('token');
    const client = new RegistryClient();
    try {
      await expect(client.getManifest(fixtures.busybox.reference)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: 'authentication required',
      });
    } finally {
      await client.close();
    }
  });
});

describe('token reuse', () => {
  it('fetches one token per scope and reuses it across requests', async () => {
    const { registry, fixtures } = bed('token');
    const client = new RegistryClient({
      credentials: staticCredentials({
        [registry.host]: must(registry.credentials, 'credentials'),
      }),
    });
    try {
      const before = registry.tokenRequests().length;
      await pullImage(client, fixtures.multiLayer.reference);
      await pullImage(client, fixtures.multiLayer.reference);
      const served = registry.tokenRequests().slice(before);
      expect(served).toHaveLength(1);
      expect(served[0]).toMatchObject({
        method: 'GET',
        account: 'tester',
        authenticated: true,
        scopes: ['repository:test/multi-layer:pull'],
      });
    } finally {
      await client.close();
    }
  });
});
