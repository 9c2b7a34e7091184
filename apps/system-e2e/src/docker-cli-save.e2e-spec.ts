import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Fixtures, RegistryHandle, SKOPEO, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
const run = promisify(execFile);

let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-save-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** skopeoManifest copies `source` into a `dir:` layout (compression kept as is) and returns its manifest. */
async function skopeoManifest(
  source: string,
  dir: string,
): Promise<{ config: { digest: string }; layers: { digest: string }[] }> {
  await run(SKOPEO, ['copy', '--quiet', source, `dir:${dir}`]);
  return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
}

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster()],
] as const)('docker save against the %s topology', (name, start) => {
  let stevedore: Topology;
  let env: Record<string, string>;
  const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);

  beforeAll(async () => {
    stevedore = await start();
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: scratch,
      DOCKER_CONFIG: scratch,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
    for (const image of [fixtures.busybox, fixtures.multiLayer])
      expect((await docker('pull', '-q', image.reference)).code).toBe(0);
  }, 180_000);

  afterAll(async () => stevedore?.stop());

  it('`docker save -o` writes a tar that skopeo reads as docker-archive and as oci-archive', async () => {
    const tar = join(scratch, `${name}-multi.tar`);
    const result = await docker('save', '-o', tar, fixtures.multiLayer.reference);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(((await stat(tar)).mode & 0o777).toString(8)).toBe('600');
    const oci = await skopeoManifest(`oci-archive:${tar}`, join(scratch, `${name}-oci`));
    expect(oci.layers.map((l) => l.digest)).toEqual(
      fixtures.multiLayer.layers?.map((l) => l.digest),
    );
    const saved = await skopeoManifest(`docker-archive:${tar}`, join(scratch, `${name}-docker`));
    expect(saved.config.digest).toBe(fixtures.multiLayer.configDigest);
  });

  it('`docker save a b > file` puts several images in one archive', async () => {
    const tar = join(scratch, `${name}-both.tar`);
    const { stdout } = await run(
      'sh',
      [
        '-c',
        `"${DOCKER}" save ${fixtures.busybox.reference} ${fixtures.multiLayer.reference} > "${tar}"`,
      ],
      { env },
    );
    expect(stdout).toBe('');
    const { stdout: listing } = await run('tar', ['-xOf', tar, 'manifest.json']);
    const manifest = JSON.parse(listing) as { RepoTags: string[] }[];
    expect(manifest.flatMap((m) => m.RepoTags).sort()).toEqual(
      [fixtures.busybox.reference, fixtures.multiLayer.reference].sort(),
    );
  });

  it('refuses an unknown name before writing anything', async () => {
    const tar = join(scratch, `${name}-none.tar`);
    const result = await docker('save', '-o', tar, fixtures.busybox.reference, 'nosuch:1');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error response from daemon: reference does not exist\n'); // Docker's words for a missing tag
    await expect(stat(tar)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
