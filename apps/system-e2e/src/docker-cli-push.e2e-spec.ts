import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Fixtures,
  RegistryHandle,
  pushFixtures,
  skopeoRawManifest,
  startRegistry,
} from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';

let source: RegistryHandle;
let guarded: RegistryHandle;
let tokens: RegistryHandle;
let fixtures: Fixtures;

beforeAll(async () => {
  [source, guarded, tokens] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'htpasswd' }),
    startRegistry({ auth: 'token' }),
  ]);
  fixtures = await pushFixtures(source);
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await Promise.all([source?.stop(), guarded?.stop(), tokens?.stop()]);
});

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);
const short = (digest: string | undefined) => (digest ?? '').replace(/^sha256:/, '').slice(0, 12);

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster()],
] as const)('docker login and push against the %s topology', (name, start) => {
  let stevedore: Topology;
  let env: Record<string, string>;
  let home: string;
  const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);
  const login = (registry: RegistryHandle, password: string) =>
    runCommand(
      '/bin/sh',
      [
        '-c',
        `printf '%s' "$PW" | "${DOCKER}" login -u "${registry.credentials?.username}" --password-stdin ${registry.host}`,
      ],
      { ...env, PW: password },
    );

  beforeAll(async () => {
    stevedore = await start();
    home = await mkdtemp(join(tmpdir(), `stevedore-e2e-push-${name}-`));
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      DOCKER_CONFIG: home,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
    expect((await docker('pull', '-q', fixtures.busybox.reference)).code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await stevedore?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('`docker login` with a wrong password fails with the registry’s answer and stores nothing', async () => {
    const result = await login(guarded, 'not-the-password');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Error response from daemon: login attempt to http:\/\/.*\/v2\/ failed with status: 401 Unauthorized$/m,
    );
    expect(result.stderr).not.toContain('not-the-password');
  });

  it('`docker push` to a guarded registry without a login fails cleanly (no prompt)', async () => {
    const target = `${guarded.host}/team/${name}-busybox:v0`;
    expect((await docker('tag', fixtures.busybox.reference, target)).code).toBe(0);
    const result = await docker('push', target);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `The push refers to repository [${guarded.host}/team/${name}-busybox]`,
    );
    expect(result.stderr).toMatch(/unauthorized|authentication required/i);
  });

  it('`docker login` then `docker push` uploads the layers and reports the registry’s digest; a second push finds them there', async () => {
    const logged = await login(guarded, guarded.credentials?.password ?? '');
    expect(logged.code).toBe(0);
    expect(lines(logged.stdout)).toEqual(['Login Succeeded']);
    const target = `${guarded.host}/team/${name}-busybox:v1`;
    expect((await docker('tag', fixtures.busybox.reference, target)).code).toBe(0);
    const pushed = await docker('push', target);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    const layerIds = (fixtures.busybox.layers ?? []).map((l) => short(l.digest));
    const out = lines(pushed.stdout);
    expect(out[0]).toBe(`The push refers to repository [${guarded.host}/team/${name}-busybox]`);
    for (const id of layerIds)
      expect(out).toEqual(expect.arrayContaining([`${id}: Preparing`, `${id}: Pushed`]));
    const registryDigest = (await skopeoRawManifest(guarded, `team/${name}-busybox:v1`)).digest;
    expect(registryDigest).toBe(fixtures.busybox.manifestDigest);
    expect(out.at(-1)).toMatch(new RegExp(`^v1: digest: ${registryDigest} size: \\d+$`));
    const again = await docker('push', target);
    for (const id of layerIds) expect(lines(again.stdout)).toContain(`${id}: Layer already exists`);
  });

  it('`docker push -a` pushes every local tag of the repository; `docker pull` brings it back', async () => {
    expect(
      (await docker('tag', fixtures.busybox.reference, `${guarded.host}/team/${name}-all:a`)).code,
    ).toBe(0);
    expect(
      (await docker('tag', fixtures.busybox.reference, `${guarded.host}/team/${name}-all:b`)).code,
    ).toBe(0);
    const pushed = await docker('push', '-a', `${guarded.host}/team/${name}-all`);
    expect(pushed.code).toBe(0);
    expect(
      lines(pushed.stdout)
        .filter((l) => / digest: /.test(l))
        .map((l) => l.split(':')[0]),
    ).toEqual(['a', 'b']);
    expect((await docker('rmi', `${guarded.host}/team/${name}-all:a`)).code).toBe(0);
    const pulled = await docker('pull', `${guarded.host}/team/${name}-all:a`);
    expect(pulled.code).toBe(0);
    expect(
      (
        await docker(
          'image',
          'inspect',
          '--format',
          '{{.Id}}',
          `${guarded.host}/team/${name}-all:a`,
        )
      ).stdout.trim(),
    ).toBe(fixtures.busybox.configDigest);
  });

  it('logs in to a token-auth registry and pushes there', async () => {
    expect((await login(tokens, tokens.credentials?.password ?? '')).code).toBe(0);
    const target = `${tokens.host}/team/${name}-busybox:t1`;
    expect((await docker('tag', fixtures.busybox.reference, target)).code).toBe(0);
    const pushed = await docker('push', target);
    expect(pushed.stderr).toBe('');
    expect(lines(pushed.stdout).at(-1)).toMatch(/^t1: digest: sha256:[a-f0-9]{64} size: \d+$/);
  });

  it('refuses to push an image that does not exist locally', async () => {
    const result = await docker('push', `${guarded.host}/team/${name}-nothing:1`);
    expect(result.code).toBe(1);
    // dockerd 20.10 names the repository first, then says so in the stream (no "Error response").
    expect(result.stdout).toBe(
      `The push refers to repository [${guarded.host}/team/${name}-nothing]\n`,
    );
    expect(result.stderr).toBe(
      `An image does not exist locally with the tag: ${guarded.host}/team/${name}-nothing\n`,
    );
  });
});
