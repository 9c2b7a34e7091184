import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { Pair, onBoth, startPair } from './support/differential';
import { sameApi, sameCli } from './support/differential-compare';
import { dockerdAvailable } from './support/dockerd';
import { SIZES } from './support/documented-differences';

// The differential suite (see differential-images) for the other image endpoints: save and load,
// import, push, login, search, system df, info, version and distribution.
let registry: RegistryHandle;
let guarded: RegistryHandle;
let fixtures: Fixtures;
let pair: Pair;

beforeAll(async () => {
  [registry, guarded] = await Promise.all([startRegistry(), startRegistry({ auth: 'htpasswd' })]);
  fixtures = await pushFixtures(registry);
  pair = await startPair({
    daemonConfig: { 'insecure-registries': [registry.host, guarded.host] },
  });
  for (const side of pair.sides)
    expect((await side.docker('pull', '-q', fixtures.busybox.reference)).code).toBe(0);
}, 180_000);

afterAll(async () => {
  await pair?.stop();
  await killAllApps();
  await Promise.all([registry?.stop(), guarded?.stop()]);
});

// A locally made image's ID holds its creation time: it differs between the daemons.
const LOCAL_IDS: [RegExp, string] = [/sha256:[0-9a-f]{64}/g, 'sha256:<id>'];

(dockerdAvailable() ? describe : describe.skip)(
  'archives and registries, dockerd vs Stevedore',
  () => {
    it('saves and loads an image round trip', async () => {
      const ref = fixtures.busybox.reference;
      await sameCli(pair, ['save', '-o', '/dev/null', ref]);
      const [oracle, stevedore] = await onBoth(pair, (side) =>
        side.shell(`docker save "$REF" | docker load`, { REF: ref }),
      );
      expect(stevedore).toEqual(oracle);
    });

    it('refuses a bad archive and a missing image alike', async () => {
      const [oracle, stevedore] = await onBoth(pair, (side) =>
        side.shell('echo not-a-tar | docker load'),
      );
      expect(stevedore.code).toBe(oracle.code);
      await sameCli(pair, ['save', '-o', '/dev/null', 'no/such:image']);
    });

    // Known mismatch, see the report of issue 13 (H9): fails until fixed or documented.
    it.failing(
      'imports a file, with changes, and refuses a bad change (known mismatch)',
      async () => {
        const tar = 'tar -cf - -C / etc/hostname';
        const imp = (args: string) => (side: Pair['dockerd']) =>
          side.shell(`${tar} 2>/dev/null | docker import ${args} - diff/imported:1`);
        const [a, b] = await onBoth(pair, imp('--change "ENV A=1" --change "CMD [\\"x\\"]"'));
        expect({ ...b, stdout: b.stdout.replace(LOCAL_IDS[0], '') }).toEqual({
          ...a,
          stdout: a.stdout.replace(LOCAL_IDS[0], ''),
        });
        const inspect = ['image', 'inspect', '--format', '{{json .Config}}', 'diff/imported:1'];
        await sameCli(pair, inspect);
        const [c, d] = await onBoth(pair, imp('--change "NOPE x"'));
        expect(d).toEqual(c);
      },
    );

    // Known mismatch, see the report of issue 13 (H9): fails until fixed or documented.
    it.failing('pushes to the testbed registry (known mismatch)', async () => {
      const target = `${registry.host}/diff/pushed`;
      for (const side of pair.sides) {
        const tagged = await side.docker(
          'tag',
          fixtures.busybox.reference,
          `${target}:${side.name}`,
        );
        expect(tagged.code).toBe(0);
      }
      const [oracle, stevedore] = await onBoth(pair, (side) =>
        side.docker('push', `${target}:${side.name}`),
      );
      // Documented difference: dockerd 20.10's graph-driver store rebuilds the manifest it pushes
      // (other layer blobs, another digest); Stevedore pushes the manifest it pulled, digest kept,
      // as dockerd's containerd image store does.
      const first = (text: string) => text.split('\n')[0]?.replace(/(dockerd|stevedore)/g, '');
      expect(first(stevedore.stdout)).toBe(first(oracle.stdout));
      expect(stevedore.stdout).toMatch(/\n\w+: digest: sha256:[0-9a-f]{64} size: \d+\n$/);
      expect(stevedore.stdout).toContain(`stevedore: digest: ${fixtures.busybox.manifestDigest}`);
      expect(stevedore.code).toBe(oracle.code);
      await sameCli(pair, ['push', `${target}:absent`]);
    });

    // Known bug, not yet fixed: dockerd says `login attempt to http://<host>/v2/ failed with
    // status: 401 Unauthorized`, Stevedore `login attempt to <host> failed: authentication required`.
    it.failing('fails a login with bad credentials alike (known bug)', async () => {
      await sameCli(pair, ['login', '-u', 'tester', '-p', 'wrong', guarded.host]);
    });

    // Known mismatch, see the report of issue 13 (H9): fails until fixed or documented.
    it.failing('answers search against the testbed registry (known mismatch)', async () => {
      await sameApi(pair, 'images/search', 'GET', `/images/search?term=${registry.host}/busybox`);
    });

    // Known mismatch, see the report of issue 13 (H9): fails until fixed or documented.
    it.failing(
      'reports system df, info and version with the same keys (known mismatch)',
      async () => {
        await sameApi(pair, 'system/df', 'GET', '/system/df');
        await sameCli(pair, ['system', 'df', '--format', '{{.Type}} {{.TotalCount}}'], [SIZES]);
        await sameApi(pair, 'info', 'GET', '/info');
        await sameApi(pair, 'version', 'GET', '/version');
      },
    );

    it('answers /distribution alike', async () => {
      const ref = encodeURIComponent(fixtures.manifestList.reference);
      const [oracle, stevedore] = await sameApi(
        pair,
        'distribution',
        'GET',
        `/distribution/${ref}/json`,
      );
      expect(JSON.parse(stevedore.text)).toEqual(JSON.parse(oracle.text));
      await sameApi(pair, 'distribution', 'GET', `/distribution/${registry.host}/no/such:1/json`);
    });
  },
);
