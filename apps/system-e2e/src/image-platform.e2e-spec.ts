import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startEmbedded } from './support/topology';

// Issue 13, item 1: `--platform` on image inspect, save and load (and item 10b: `images/json?manifests=1`
// for `docker image ls --tree`), through the docker CLI 28.2.2,
// with dockerd's answers when nothing matches. The platform is read in the gateway and the
// exporter, which embedded and cluster share; the embedded topology runs them.
const DOCKER = '/usr/local/bin/docker';

let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;
let stevedore: Topology;
let env: Record<string, string>;
const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);

/** savedConfigs lists the config paths of a saved archive's manifest.json (read with tar). */
async function savedConfigs(tar: string): Promise<string[]> {
  const out = await runCommand('tar', ['-xOf', tar, 'manifest.json'], env);
  return (JSON.parse(out.stdout) as { Config: string }[]).map((m) => m.Config);
}

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-platform-'));
  stevedore = await startEmbedded();
  env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: scratch,
    DOCKER_CONFIG: scratch,
    DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
  };
  expect((await docker('pull', '-q', fixtures.busybox.reference)).code).toBe(0);
  const arm = ['pull', '-q', '--platform', 'linux/arm64', fixtures.multiArch.reference];
  expect((await docker(...arm)).code).toBe(0);
}, 180_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  await registry?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('docker image inspect --platform', () => {
  it('prints the image when it is of that platform', async () => {
    const ref = fixtures.busybox.reference;
    const result = await docker(
      'image',
      'inspect',
      '--platform',
      'linux/amd64',
      '-f',
      '{{.Os}}/{{.Architecture}}',
      ref,
    );
    expect(result).toMatchObject({ code: 0, stdout: 'linux/amd64\n' });
  });

  it("refuses another platform in moby's words, exit 1", async () => {
    const ref = fixtures.busybox.reference;
    const result = await docker('image', 'inspect', '--platform', 'linux/s390x', ref);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Error response from daemon: image with reference ${ref} was found but does not match the specified platform: wanted linux/s390x, actual: linux/amd64`,
    );
  });

  it('answers 400 for a platform that is not an OCI platform object', async () => {
    const name = encodeURIComponent(fixtures.busybox.reference);
    const bad = await fetch(
      `${stevedore.url}/v1.50/images/${name}/json?platform=%7B%22os%22%3A%22linux%22%7D`,
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: 'both OS and Architecture must be provided' });
  });
});

describe('docker save --platform', () => {
  it("saves the image of that platform's manifest", async () => {
    const tar = join(scratch, 'arm.tar');
    const ref = fixtures.multiArch.reference;
    expect(await docker('save', '--platform', 'linux/arm64', '-o', tar, ref)).toMatchObject({
      code: 0,
    });
    const arm = fixtures.multiArch.platforms?.find((p) => p.platform.startsWith('linux/arm64'));
    expect(await savedConfigs(tar)).toEqual([`blobs/sha256/${arm?.configDigest.slice(7)}`]);
  });

  it('refuses a platform the image was not pulled for, and writes no file', async () => {
    const tar = join(scratch, 'none.tar');
    const ref = fixtures.busybox.reference;
    const result = await docker('save', '--platform', 'linux/s390x', '-o', tar, ref);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Error response from daemon: no suitable export target found for platform linux/s390x: image with reference ${ref} was found but does not provide the specified platform (linux/s390x)`,
    );
    await expect(readFile(tar)).rejects.toThrow(/ENOENT/);
  });
});

describe('docker load --platform', () => {
  let tar: string;
  beforeAll(async () => {
    tar = join(scratch, 'busybox.tar');
    expect((await docker('save', '-o', tar, fixtures.busybox.reference)).code).toBe(0);
  });

  it('loads the images of that platform', async () => {
    const result = await docker('load', '--platform', 'linux/amd64', '-i', tar);
    expect(result).toMatchObject({
      code: 0,
      stdout: `Loaded image: ${fixtures.busybox.reference}\n`,
    });
  });

  it('fails with containerd\'s "filtered out" message when no image is of that platform', async () => {
    const result = await docker('load', '--platform', 'linux/s390x', '-i', tar);
    expect(result).toMatchObject({
      code: 1,
      stderr: 'requested platform (linux/s390x) not found: image might be filtered out\n',
    });
  });
});

describe('docker image ls --tree (manifests=1)', () => {
  interface Listed {
    Id: string;
    Manifests?: { ID: string; Kind: string; Available: boolean; Size: { Content: number } }[];
  }
  const list = async (version: string): Promise<Listed[]> =>
    (await fetch(`${stevedore.url}/v${version}/images/json?manifests=1`)).json() as Promise<
      Listed[]
    >;

  it('lists each image with its platform manifests and their content size (API 1.47+)', async () => {
    const { busybox } = fixtures;
    const listed = (await list('1.50')).find((i) => i.Id === busybox.configDigest);
    expect(listed?.Manifests).toEqual([
      expect.objectContaining({
        ID: busybox.manifestDigest,
        Kind: 'image',
        Available: true,
        ImageData: {
          Platform: { architecture: 'amd64', os: 'linux' },
          Containers: [],
          Size: { Unpacked: 0 },
        },
      }),
    ]);
    const layers = (busybox.layers ?? []).reduce((sum, l) => sum + l.size, 0);
    expect(listed?.Manifests?.[0]?.Size.Content).toBeGreaterThan(
      layers + (busybox.manifestSize ?? 0),
    );
    expect((await list('1.46')).every((i) => i.Manifests === undefined)).toBe(true);
  });

  it('`docker image ls --tree` shows the manifests with a content size, not 0B', async () => {
    const result = await docker('image', 'ls', '--tree');
    expect(result.code).toBe(0);
    const plain = result.stdout.replace(
      new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'),
      '',
    );
    const row = new RegExp(
      `└─ linux/amd64\\s+${fixtures.busybox.manifestDigest.slice(7, 19)}\\s+(\\S+)\\s+(\\S+)`,
    ).exec(plain);
    expect(row?.[2]).toMatch(/^[0-9.]+[kM]B$/);
    expect(plain).toMatch(/└─ linux\/arm64\s+[0-9a-f]{12}\s+\S+\s+[0-9.]+kB/);
  });
});
