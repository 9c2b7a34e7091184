import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';

let registry: RegistryHandle;
let fixtures: Fixtures;
let dockerConfig: string;
let dockerEnv: Record<string, string>;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  // An empty CLI config dir, so no context, credentials or settings of this machine leak in.
  dockerConfig = await mkdtemp(join(tmpdir(), 'stevedore-e2e-docker-cli-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (dockerConfig !== undefined) await rm(dockerConfig, { recursive: true, force: true });
});

function docker(...args: string[]): Promise<CommandResult> {
  return runCommand(DOCKER, args, dockerEnv);
}

const short = (digest: string | undefined) => (digest ?? '').replace(/^sha256:/, '').slice(0, 12);
const lines = (text: string) => text.split('\n').filter((line) => line.length > 0);

describe.each([
  ['embedded', startEmbedded],
  ['cluster', startCluster],
] as const)('the docker CLI against the %s topology', (topology, start) => {
  let stevedore: Topology;

  beforeAll(async () => {
    stevedore = await start();
    dockerEnv = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: dockerConfig,
      DOCKER_CONFIG: dockerConfig,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
  }, 120_000);

  afterAll(async () => stevedore?.stop());

  it('`docker pull` by tag prints Docker’s progress and ends with the reference', async () => {
    const { busybox } = fixtures;
    const result = await docker('pull', busybox.reference);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      `latest: Pulling from ${busybox.repository}`,
      ...(busybox.layers ?? []).map((l) => `${short(l.digest)}: Pulling fs layer`),
      ...(busybox.layers ?? []).flatMap((l) => [
        `${short(l.digest)}: Verifying Checksum`,
        `${short(l.digest)}: Download complete`,
      ]),
      ...(busybox.layers ?? []).map((l) => `${short(l.digest)}: Pull complete`),
      `Digest: ${busybox.manifestDigest}`,
      `Status: Downloaded newer image for ${busybox.reference}`,
      busybox.reference,
    ]);
  });

  it('a second pull of the same tag says the image is up to date', async () => {
    const result = await docker('pull', fixtures.busybox.reference);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Digest: ${fixtures.busybox.manifestDigest}\n`);
    expect(result.stdout).toContain(
      `Status: Image is up to date for ${fixtures.busybox.reference}\n`,
    );
    expect(result.stdout).not.toContain('Pull complete');
  });

  it('`docker pull name@digest` pulls by digest', async () => {
    const { multiLayer } = fixtures;
    const byDigest = `${multiLayer.reference.replace(/:v1$/, '')}@${multiLayer.manifestDigest}`;
    const result = await docker('pull', byDigest);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${byDigest}: Pulling from ${multiLayer.repository}\n`);
    expect(result.stdout.match(/: Pull complete$/gm)).toHaveLength(multiLayer.layers?.length ?? -1);
    expect(result.stdout).toContain(`Status: Downloaded newer image for ${byDigest}\n`);
    const inspect = await docker(
      'image',
      'inspect',
      '--format',
      '{{.Id}} {{json .RepoTags}} {{json .RepoDigests}}',
      byDigest,
    );
    expect(inspect.stdout).toBe(`${multiLayer.configDigest} [] ["${byDigest}"]\n`);
  });

  it('`docker pull --platform linux/arm64` pulls that platform of the multi-arch index', async () => {
    const { multiArch } = fixtures;
    const arm64 = multiArch.platforms?.find((p) => p.platform.startsWith('linux/arm64'));
    const result = await docker('pull', '--platform', 'linux/arm64', multiArch.reference);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Digest: ${multiArch.manifestDigest}\n`);
    const inspect = await docker(
      'image',
      'inspect',
      '--format',
      '{{.Id}} {{.Os}}/{{.Architecture}}/{{.Variant}}',
      multiArch.reference,
    );
    expect(inspect).toEqual({
      code: 0,
      stdout: `${arm64?.configDigest} linux/arm64/v8\n`,
      stderr: '',
    });
  });

  it('`docker image inspect` shows the config digest as the ID and the fixture’s config', async () => {
    const { busybox } = fixtures;
    const id = await docker('image', 'inspect', '--format', '{{.Id}}', busybox.reference);
    expect(id).toEqual({
      code: 0,
      stdout: `${busybox.configDigest}\n`,
      stderr: '',
    });
    const full = await docker('image', 'inspect', busybox.reference);
    const [image] = JSON.parse(full.stdout) as Record<string, unknown>[];
    expect(image).toMatchObject({
      Id: busybox.configDigest,
      RepoTags: [busybox.reference],
      RepoDigests: [`${busybox.reference.replace(/:latest$/, '')}@${busybox.manifestDigest}`],
      Created: '2000-01-01T00:00:00Z',
      Os: 'linux',
      Architecture: 'amd64',
      Config: expect.objectContaining({ Cmd: ['sh'] }),
      RootFS: { Type: 'layers', Layers: busybox.layers?.map((l) => l.diffId) },
      GraphDriver: { Name: 'stevedore', Data: null },
    });
  });

  it('`docker tag` adds a second row with the same IMAGE ID to `docker images`', async () => {
    const { busybox } = fixtures;
    const format = ['--format', '{{.Repository}}:{{.Tag}} {{.ID}}'];
    const before = await docker('images', ...format);
    expect(lines(before.stdout)).toContain(`${busybox.reference} ${short(busybox.configDigest)}`);
    expect(await docker('tag', busybox.reference, 'mybusybox:1')).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    // `*` stops at `/` (Go's path.Match), so the registry's repository needs a pattern of its own.
    const repo = busybox.reference.replace(/:latest$/, '');
    const after = await docker(
      'images',
      ...format,
      '--filter',
      'reference=*busybox*',
      '--filter',
      `reference=${repo}`,
    );
    expect(lines(after.stdout).sort()).toEqual(
      [
        `${busybox.reference} ${short(busybox.configDigest)}`,
        `mybusybox:1 ${short(busybox.configDigest)}`,
      ].sort(),
    );
    const table = await docker('images');
    expect(lines(table.stdout)[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    expect(table.stdout).toMatch(
      new RegExp(
        `^mybusybox\\s+1\\s+${short(busybox.configDigest)}\\s+\\d+ years ago\\s+\\S+`,
        'm',
      ),
    );
  });

  it('`docker history` lists the fixture’s steps newest first, the top one with the image ID', async () => {
    const { busybox } = fixtures;
    const result = await docker(
      'history',
      '--no-trunc',
      '-H=false',
      '--format',
      '{{.ID}}|{{.CreatedAt}}|{{.CreatedBy}}|{{.Size}}',
      busybox.reference,
    );
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      `${busybox.configDigest}|2000-01-01T00:00:00Z|CMD ["sh"]|0`,
      `<missing>|2000-01-01T00:00:00Z|ADD busybox-static /bin/busybox and its applet links|${busybox.layers?.[0]?.size}`,
    ]);
    const table = await docker('history', busybox.reference);
    expect(lines(table.stdout)[1]).toMatch(
      new RegExp(`^${short(busybox.configDigest)}\\s+\\S+\\s+CMD \\["sh"\\]\\s+0B`),
    );
  });

  it('`docker rmi` of one of two tags only untags', async () => {
    expect(await docker('rmi', 'mybusybox:1')).toEqual({
      code: 0,
      stdout: 'Untagged: mybusybox:1\n',
      stderr: '',
    });
    const id = await docker('image', 'inspect', '--format', '{{.Id}}', fixtures.busybox.reference);
    expect(id.stdout).toBe(`${fixtures.busybox.configDigest}\n`);
    const gone = await docker('image', 'inspect', 'mybusybox:1');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('No such image: mybusybox:1');
  });

  it('`docker inspect` without a type finds the image, and reports an unknown name as no such object', async () => {
    const found = await docker('inspect', '--format', '{{.Id}}', fixtures.busybox.reference);
    expect(found).toEqual({
      code: 0,
      stdout: `${fixtures.busybox.configDigest}\n`,
      stderr: '',
    });
    const missing = await docker('inspect', 'nosuchthing');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('[]\n');
    expect(missing.stderr).toContain('No such object: nosuchthing');
  });

  it('answers errors the way the CLI expects', async () => {
    const filter = await docker('images', '--filter', 'foo=bar');
    expect(filter.code).toBe(1);
    expect(filter.stderr).toBe("Error response from daemon: invalid filter 'foo'\n");
    const forced = await docker('rmi', '-f', 'nosuch:1');
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('No such image: nosuch:1');
    const missing = await docker('pull', `${registry.host}/library/nosuch:1`);
    expect(missing.code).toBe(1);
    // The CNCF registry answers MANIFEST_UNKNOWN for a repository it never had, and dockerd 20.10
    // words that as a missing manifest, not as "pull access denied".
    expect(missing.stderr).toBe(
      `Error response from daemon: manifest for ${registry.host}/library/nosuch:1 not found: manifest unknown: manifest unknown\n`,
    );
  });

  it('`docker rmi` of the last tag deletes the image', async () => {
    const { busybox } = fixtures;
    const result = await docker('rmi', busybox.reference);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual(
      expect.arrayContaining([
        `Untagged: ${busybox.reference}`,
        `Deleted: ${busybox.configDigest}`,
      ]),
    );
    const images = await docker('images', '--quiet', '--no-trunc');
    expect(images.stdout).not.toContain(busybox.configDigest);
  });

  // Auth handling lives in the gateway and resolver, which both topologies share: one run suffices.
  if (topology !== 'embedded') return;

  describe('pulling from a registry that needs a login', () => {
    let guarded: RegistryHandle;
    let guardedFixtures: Fixtures;
    let loggedIn: string;

    beforeAll(async () => {
      guarded = await startRegistry({ auth: 'htpasswd' });
      guardedFixtures = await pushFixtures(guarded);
      // What `docker login` leaves behind, written directly: the CLI sends it as X-Registry-Auth.
      loggedIn = await mkdtemp(join(tmpdir(), 'stevedore-e2e-docker-login-'));
      const { username, password } = guarded.credentials ?? {
        username: '',
        password: '',
      };
      const auth = Buffer.from(`${username}:${password}`).toString('base64');
      await writeFile(
        join(loggedIn, 'config.json'),
        JSON.stringify({ auths: { [guarded.host]: { auth } } }),
      );
    }, 180_000);

    afterAll(async () => {
      await guarded?.stop();
      if (loggedIn !== undefined) await rm(loggedIn, { recursive: true, force: true });
    });

    it('fails without credentials instead of prompting for a login', async () => {
      const result = await docker('pull', guardedFixtures.busybox.reference);
      expect(result.code).toBe(1);
      expect(result.stderr).not.toContain('Username');
      expect(result.stderr).toMatch(/unauthorized|authentication required|denied/i);
    });

    it('pulls with the credentials the CLI sends in X-Registry-Auth', async () => {
      const result = await runCommand(DOCKER, ['pull', guardedFixtures.multiLayer.reference], {
        ...dockerEnv,
        DOCKER_CONFIG: loggedIn,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `Status: Downloaded newer image for ${guardedFixtures.multiLayer.reference}\n`,
      );
    });
  });
});
