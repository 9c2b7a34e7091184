import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { Pair, onBoth, startPair } from './support/differential';
import { sameApi, sameCli } from './support/differential-compare';
import { dockerdAvailable } from './support/dockerd';
import { SEARCH_V1, SIZES } from './support/documented-differences';
import { skipNote } from './support/skip-note';

// The differential suite (see differential-images) for the other image endpoints: save and load,
// import, push, login, search, system df, info, version and distribution.
let registry: RegistryHandle;
let guarded: RegistryHandle;
let tokens: RegistryHandle;
let fixtures: Fixtures;
let pair: Pair;

beforeAll(async () => {
  [registry, guarded, tokens] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'htpasswd' }),
    startRegistry({ auth: 'token' }),
  ]);
  fixtures = await pushFixtures(registry);
  pair = await startPair({
    daemonConfig: { 'insecure-registries': [registry.host, guarded.host, tokens.host] },
  });
  for (const side of pair.sides)
    expect((await side.docker('pull', '-q', fixtures.busybox.reference)).code).toBe(0);
}, 180_000);

afterAll(async () => {
  await pair?.stop();
  await killAllApps();
  await Promise.all([registry?.stop(), guarded?.stop(), tokens?.stop()]);
});

// A locally made image's ID holds its creation time: it differs between the daemons.
const LOCAL_IDS: [RegExp, string] = [/sha256:[0-9a-f]{64}/g, 'sha256:<id>'];

(dockerdAvailable() ? describe : describe.skip)(
  `archives and registries, dockerd vs Stevedore${skipNote(dockerdAvailable(), 'dockerd 20.10 (docker.io) not installed')}`,
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

    it('imports a file, with changes, and refuses a bad change before reading it', async () => {
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
      // dockerd refuses it with an HTTP error (nothing streamed yet): `Error response from daemon: …`.
      const [c, d] = await onBoth(pair, imp('--change "NOPE x"'));
      expect(d).toEqual(c);
      expect(d.stderr).toBe('Error response from daemon: nope is not a valid change command\n');
    });

    it('pushes to the testbed registry, and names a missing tag as dockerd does', async () => {
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
      // "The push refers to repository [...]", then the error in the stream.
      const [absent] = await sameCli(pair, ['push', `${target}:absent`]);
      expect(absent.stderr).toBe(`tag does not exist: ${target}:absent\n`);
      const [never] = await sameCli(pair, ['push', `${registry.host}/diff/never:1`]);
      expect(never.stderr).toBe(
        `An image does not exist locally with the tag: ${registry.host}/diff/never\n`,
      );
    });

    it('fails a login with bad credentials alike', async () => {
      const [, stevedore] = await sameCli(pair, [
        'login',
        ...['-u', 'tester', '-p', 'wrong', guarded.host],
      ]);
      expect(stevedore.stderr).toContain(
        `login attempt to http://${guarded.host}/v2/ failed with status: 401 Unauthorized`,
      );
      const body = JSON.stringify({
        username: 'tester',
        password: 'wrong',
        serveraddress: guarded.host,
      });
      await sameApi(pair, 'auth', 'POST', '/auth', body, 'application/json');
      // Through a token server, which refuses the credentials itself (dockerd: a 401 this time).
      const [, token] = await sameCli(pair, ['login', '-u', 'tester', '-p', 'wrong', tokens.host]);
      expect(token.stderr).toContain(`Get "http://${tokens.host}/v2/": unauthorized: `);
      const tokenBody = JSON.stringify({
        username: 'tester',
        password: 'wrong',
        serveraddress: tokens.host,
      });
      await sameApi(pair, 'auth', 'POST', '/auth', tokenBody, 'application/json');
    });

    // Documented difference (SEARCH_V1): dockerd 20.10 asks the registry's v1 search API, which a
    // v2 registry does not serve; Stevedore searches its v2 catalog.
    it('answers search against the testbed registry: dockerd cannot, Stevedore finds the repository', async () => {
      const path = `/images/search?term=${registry.host}/busybox`;
      const [oracle, stevedore] = await onBoth(pair, (side) => side.api('GET', path));
      expect(oracle.status).toBe(SEARCH_V1.status);
      expect(JSON.parse(oracle.text)).toEqual({ message: SEARCH_V1.message });
      expect(stevedore.status).toBe(200);
      const results = JSON.parse(stevedore.text) as Record<string, unknown>[];
      expect(results.map((r) => r['name'])).toContain(`${registry.host}/library/busybox`);
      for (const result of results)
        expect(Object.keys(result).sort()).toEqual(SEARCH_V1.resultKeys);
    });

    it('reports system df, info and version with the same keys', async () => {
      const [, df] = await sameApi(pair, 'system/df', 'GET', '/system/df');
      // What dockerd 20.10 sends at 1.41 that later API versions dropped.
      const usage = JSON.parse(df.text) as {
        BuilderSize: number;
        Images: { VirtualSize: number; Size: number }[];
      };
      expect(usage.BuilderSize).toBe(0);
      for (const image of usage.Images) expect(image.VirtualSize).toBe(image.Size);
      await sameCli(pair, ['system', 'df', '--format', '{{.Type}} {{.TotalCount}}'], [SIZES]);
      await sameApi(pair, 'info', 'GET', '/info');
      await sameApi(pair, 'version', 'GET', '/version');
    });

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
