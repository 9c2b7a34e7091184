import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pushFixtures, RegistryAuth, RegistryHandle, skopeoCopy, startRegistry } from '../../index';
import { Fixtures } from '../fixtures/fixture.types';
import { makeTempDir, removeTempDir } from '../support/lifecycle';
import { readLayoutManifest, sha256File, sha256Of } from '../../test/helpers';

describe.each<RegistryAuth>(['anonymous', 'htpasswd', 'token'])('registry testbed (%s)', (auth) => {
  let registry: RegistryHandle;
  let fixtures: Fixtures;
  let scratch: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth });
    scratch = await makeTempDir('registry-spec');
    fixtures = await pushFixtures(registry);
  });
  afterAll(async () => {
    await registry?.stop();
    if (scratch) await removeTempDir(scratch);
  });

  it('serves the busybox image skopeo pushed: pulled back to an OCI layout it keeps its layers and Cmd', async () => {
    const dest = join(scratch, 'oci-pull');
    await skopeoCopy(registry, `docker://${fixtures.busybox.reference}`, `oci:${dest}:pulled`);
    const pulled = await readLayoutManifest(dest);
    // oci: holds OCI media types only, so skopeo rewrites manifest and config; layers stay as pushed.
    expect(pulled.doc.layers.map((l) => l.digest)).toEqual(
      fixtures.busybox.layers?.map((l) => l.digest),
    );
    const configFile = join(
      dest,
      'blobs',
      'sha256',
      pulled.doc.config.digest.slice('sha256:'.length),
    );
    const config = JSON.parse(await readFile(configFile, 'utf8')) as {
      config: { Cmd: string[] };
      architecture: string;
    };
    expect(config).toMatchObject({ architecture: 'amd64', config: { Cmd: ['sh'] } });
  });

  it('pulls the busybox manifest back byte for byte (dir: transport keeps it, digest matches)', async () => {
    const dest = join(scratch, 'dir-pull');
    await skopeoCopy(registry, `docker://${fixtures.busybox.reference}`, `dir:${dest}`);
    expect(sha256Of(await readFile(join(dest, 'manifest.json')))).toBe(
      fixtures.busybox.manifestDigest,
    );
  });

  it('pulls an OCI image into an OCI layout under the same manifest digest', async () => {
    const dest = join(scratch, 'oci-multi');
    await skopeoCopy(registry, `docker://${fixtures.multiLayer.reference}`, `oci:${dest}:pulled`);
    expect((await readLayoutManifest(dest)).digest).toBe(fixtures.multiLayer.manifestDigest);
  });

  it('logs the blob GETs it served in accessLog()', async () => {
    const layer = fixtures.busybox.layers?.[0]?.digest ?? '';
    const gets = (await registry.accessLog()).filter((e) => e.method === 'GET' && e.status === 200);
    expect(gets.map((e) => e.path)).toContain(`/v2/library/busybox/blobs/${layer}`);
  });

  it('stores each blob at blobPath(), bytes matching the digest', async () => {
    const layer = fixtures.multiLayer.layers?.[1];
    const path = registry.blobPath(layer?.digest ?? '');
    expect((await stat(path)).size).toBe(layer?.size);
    expect(await sha256File(path)).toBe(layer?.digest);
  });
});

describe('registry testbed: credentials', () => {
  const started: RegistryHandle[] = [];
  afterAll(async () => {
    await Promise.all(started.map((r) => r.stop()));
  });

  it.each<RegistryAuth>(['htpasswd', 'token'])(
    '%s: wrong credentials and anonymous access fail with the registry message',
    async (auth) => {
      const registry = await startRegistry({ auth });
      started.push(registry);
      const { busybox } = await pushFixtures(registry);
      const wrong: RegistryHandle = {
        ...registry,
        credentials: { username: 'tester', password: 'wrong-pass' },
      };
      const scratch = await makeTempDir('creds-spec');
      await expect(
        skopeoCopy(wrong, `docker://${busybox.reference}`, `dir:${scratch}/pull`),
      ).rejects.toThrow(/unauthorized|authentication required/i);
      await removeTempDir(scratch);
      await expect(pushFixtures(wrong)).rejects.toThrow(/unauthorized|authentication required/i);
      const anonymous: RegistryHandle = { ...registry, credentials: undefined };
      // Anonymous token requests get a token without access, so the registry denies the push.
      await expect(pushFixtures(anonymous)).rejects.toThrow(
        /unauthorized|authentication required|denied/i,
      );
      // The failure message never carries the password.
      await expect(pushFixtures(wrong)).rejects.not.toThrow(/wrong-pass/);
    },
  );

  it('rejects an unknown auth variant with a clear error', async () => {
    await expect(startRegistry({ auth: 'kerberos' as RegistryAuth })).rejects.toThrow(
      'unknown registry auth variant "kerberos"',
    );
  });

  it('stop() is idempotent and frees the port', async () => {
    const registry = await startRegistry();
    await Promise.all([registry.stop(), registry.stop()]);
    await registry.stop();
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });
});
