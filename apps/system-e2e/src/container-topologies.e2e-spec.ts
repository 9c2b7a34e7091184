import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';

let registry: RegistryHandle;
let fixtures: Fixtures;
let home: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-topologies-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** How long Stevedore stays down: longer than the 4 s `dies` lives after it was started. */
const DOWNTIME_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A topology the test can kill and bring back over the same state: embedded, the one process;
 * cluster, the runtime process (the gateway and the other services stay up).
 */
interface Stevedore {
  start(): Promise<Topology>;
  killAndRestart(current: Topology): Promise<Topology>;
  stop(current: Topology | undefined): Promise<void>;
}

function embedded(): Stevedore {
  let dataRoot = '';
  return {
    start: async () => {
      dataRoot = await mkdtemp(join(tmpdir(), 'stevedore-e2e-restart-'));
      return startEmbedded(dataRoot);
    },
    killAndRestart: async (current) => {
      await current.processes.get('stevedore')?.stop('SIGKILL');
      await sleep(DOWNTIME_MS);
      return startEmbedded(dataRoot);
    },
    stop: async (current) => {
      await current?.stop();
      if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
    },
  };
}

function cluster(): Stevedore {
  return {
    start: () => startCluster(),
    killAndRestart: async (current) => {
      await current.processes.get('runtime')?.stop('SIGKILL');
      await sleep(DOWNTIME_MS);
      await current.restart('runtime');
      return current;
    },
    stop: async (current) => current?.stop(),
  };
}

const TOPOLOGIES: [string, () => Stevedore][] = [
  ['embedded', embedded],
  ['cluster', cluster],
];

describe.each(TOPOLOGIES)('containers through the docker CLI (%s topology)', (_name, make) => {
  const stevedore = make();
  let topology: Topology | undefined;
  let busybox: string;
  const docker = (...args: string[]): Promise<CommandResult> =>
    runCommand(
      DOCKER,
      args,
      {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: home,
        DOCKER_CONFIG: home,
        DOCKER_HOST: (topology as Topology).url.replace(/^http:/, 'tcp:'),
      },
      90_000,
    );
  const ok = async (...args: string[]): Promise<string> => {
    const result = await docker(...args);
    expect({ args, code: result.code, stderr: result.stderr }).toEqual({
      args,
      code: 0,
      stderr: expect.any(String),
    });
    return result.stdout;
  };
  const statusOf = async (name: string) =>
    (await ok('ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}')).trim();

  beforeAll(async () => {
    topology = await stevedore.start();
    busybox = fixtures.busybox.reference;
    await ok('pull', busybox);
  }, 180_000);

  // Containers outlive Stevedore by design: stopping a topology removes what a failed test left.
  afterAll(() => stevedore.stop(topology), 120_000);

  it('runs an attached container and prints its output: docker run busybox echo hi', async () => {
    const result = await docker('run', '--rm', busybox, 'echo', 'hi');
    expect(result).toMatchObject({ code: 0, stdout: 'hi\n' });
    const failing = await docker('run', '--rm', busybox, 'sh', '-c', 'echo oops >&2; exit 3');
    expect(failing).toMatchObject({ code: 3, stderr: 'oops\n' });
  }, 120_000);

  it('runs a detached container, lists it, shows its logs and runs exec in it', async () => {
    const id = (
      await ok('run', '-d', '--name', 'web', busybox, 'sh', '-c', 'echo started; sleep 600')
    ).trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await ok('ps', '--format', '{{.ID}} {{.Names}} {{.Status}}')).toMatch(
      new RegExp(`^${id.slice(0, 12)} web Up `, 'm'),
    );
    for (let i = 0; i < 50 && !(await ok('logs', 'web')).includes('started'); i += 1)
      await sleep(100);
    expect(await ok('logs', 'web')).toBe('started\n');
    expect(await ok('exec', 'web', 'sh', '-c', 'echo inside $((6*7))')).toBe('inside 42\n');
    const missing = await docker('exec', 'nosuch', 'true');
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain('No such container: nosuch');
  }, 120_000);

  it('copies files in and out of a running container and exports its filesystem', async () => {
    const dir = await mkdtemp(join(home, 'cp-'));
    await writeFile(join(dir, 'note.txt'), 'from the host\n');
    // The fixture's busybox has /bin only: like Docker, cp needs the directory to exist.
    await ok('exec', 'web', 'mkdir', '/work');
    await ok('cp', join(dir, 'note.txt'), 'web:/work/note.txt');
    expect(await ok('exec', 'web', 'cat', '/work/note.txt')).toBe('from the host\n');
    await ok('exec', 'web', 'sh', '-c', 'echo from the container > /work/back.txt');
    await ok('cp', 'web:/work/back.txt', join(dir, 'back.txt'));
    expect(await readFile(join(dir, 'back.txt'), 'utf8')).toBe('from the container\n');
    await ok('export', '-o', join(dir, 'web.tar'), 'web');
    const members = await runCommand('/usr/bin/tar', ['-tf', join(dir, 'web.tar')], {});
    expect(members.stdout.split('\n')).toEqual(
      expect.arrayContaining(['bin/busybox', 'work/note.txt', 'work/back.txt']),
    );
  }, 120_000);

  it('serves container streams on the runtime’s internal endpoint only with the cluster token', async () => {
    const runtime = (topology as Topology).internal.get('runtime');
    if (!runtime) return expect((topology as Topology).name).toBe('embedded');
    const path = `${runtime}/containers/web/logs?stdout=1&stderr=1`;
    expect((await fetch(path)).status).toBe(401);
    const authorization = `Bearer ${(topology as Topology).internalToken}`;
    const res = await fetch(path, { headers: { authorization } });
    expect(res.status).toBe(200);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(8)
        .toString(),
    ).toBe('started\n');
  });

  it('keeps every container through a SIGKILL of Stevedore, with the right states', async () => {
    await ok('run', '-d', '--name', 'keeper', busybox, 'sleep', '600');
    const done = await docker('run', '--name', 'done', busybox, 'sh', '-c', 'exit 3');
    expect(done.code).toBe(3);
    await ok('run', '-d', '--name', 'dies', busybox, 'sh', '-c', 'sleep 4; exit 7');
    topology = await stevedore.killAndRestart(topology as Topology);
    // `dies` exited while Stevedore was down: its code must still be known.
    for (let i = 0; i < 100 && !(await statusOf('dies')).startsWith('Exited'); i += 1)
      await sleep(100);
    expect(await statusOf('keeper')).toMatch(/^Up /);
    expect(await statusOf('done')).toMatch(/^Exited \(3\) /);
    expect(await statusOf('dies')).toMatch(/^Exited \(7\) /);
    expect(await statusOf('web')).toMatch(/^Up /);
    expect(await ok('exec', 'keeper', 'echo', 'still here')).toBe('still here\n');
    expect(await ok('inspect', '--format', '{{.State.ExitCode}}', 'dies')).toBe('7\n');
  }, 240_000);

  it('stops and removes the containers', async () => {
    expect(await ok('stop', '-t', '1', 'keeper', 'web')).toBe('keeper\nweb\n');
    expect(await statusOf('keeper')).toMatch(/^Exited \(\d+\) /);
    const removed = await ok('rm', 'keeper', 'web', 'done', 'dies');
    expect(removed.split('\n').filter(Boolean).sort()).toEqual(['dies', 'done', 'keeper', 'web']);
    expect(await ok('ps', '-a', '-q')).toBe('');
  }, 120_000);
});
