import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';

let registry: RegistryHandle;
let fixtures: Fixtures;
let home: string;
let stevedore: Topology;
let env: Record<string, string>;

const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env, 60_000);

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-badinput-'));
  stevedore = await startEmbedded();
  env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    DOCKER_CONFIG: home,
    DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
  };
  expect((await docker('pull', fixtures.busybox.reference)).code).toBe(0);
}, 180_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** containerDirs lists the container directories the runtime keeps: bad input must add none. */
const containerDirs = async (): Promise<string[]> =>
  readdir(join(stevedore.dataRoot, 'containers')).catch(() => []);

describe('containers refuse bad input with dockerd’s words and leave nothing behind', () => {
  it('refuses an invalid name', async () => {
    const before = await containerDirs();
    const result = await docker('create', '--name', 'bad name!', fixtures.busybox.reference);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Invalid container name (bad name!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed',
    );
    expect(await containerDirs()).toEqual(before);
  });

  it('refuses a name already in use, naming the container that has it', async () => {
    const first = await docker('create', '--name', 'taken', fixtures.busybox.reference);
    expect(first.code).toBe(0);
    const id = first.stdout.trim();
    const before = await containerDirs();
    const second = await docker('create', '--name', 'taken', fixtures.busybox.reference);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `Conflict. The container name "/taken" is already in use by container "${id}"`,
    );
    expect(await containerDirs()).toEqual(before);
    expect((await docker('rm', 'taken')).code).toBe(0);
  });

  it('refuses a -v with a relative container path, and a volume name with bad characters', async () => {
    const before = await containerDirs();
    const relative = await docker('create', '-v', '/tmp:relative', fixtures.busybox.reference);
    expect(relative.code).not.toBe(0);
    expect(relative.stderr).toMatch(/invalid (volume specification|mount config)|must be absolute/);
    const badName = await docker('create', '-v', 'b@d:/data', fixtures.busybox.reference);
    expect(badName.code).not.toBe(0);
    expect(badName.stderr).toContain('includes invalid characters for a local volume name');
    expect(await containerDirs()).toEqual(before);
  });

  it('answers a command missing from the image with exit code 127 and runc’s message', async () => {
    const result = await docker('run', '-d', '--name', 'nope', fixtures.busybox.reference, 'nope');
    expect(result.code).toBe(127);
    expect(result.stderr).toContain('executable file not found in $PATH');
    const state = await docker(
      'inspect',
      '--format',
      '{{.State.Status}} {{.State.ExitCode}}',
      'nope',
    );
    expect(state.stdout.trim()).toBe('created 127');
    expect((await docker('rm', 'nope')).code).toBe(0);
  });

  it('answers 404 for an unknown container and an unknown network', async () => {
    const missing = await docker('start', 'no-such-container');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No such container: no-such-container');
    const net = await docker('create', '--network', 'nonet', fixtures.busybox.reference);
    expect(net.code).not.toBe(0);
    expect(net.stderr).toContain('network nonet not found');
  });

  it('removes a created container with its directory and mount', async () => {
    const created = await docker('create', fixtures.busybox.reference);
    const id = created.stdout.trim();
    await expect(stat(join(stevedore.dataRoot, 'containers', id))).resolves.toBeDefined();
    expect((await docker('rm', id)).code).toBe(0);
    await expect(stat(join(stevedore.dataRoot, 'containers', id))).rejects.toThrow();
  });
});
