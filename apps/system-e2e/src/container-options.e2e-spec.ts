import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
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
let image: string;

const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env, 60_000);
/** sh runs a shell command in a fresh `--rm` container with `flags`, and answers its output. */
const sh = async (flags: string[], script: string): Promise<CommandResult> =>
  docker('run', '--rm', ...flags, image, 'sh', '-c', script);

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-options-'));
  stevedore = await startEmbedded();
  env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    DOCKER_CONFIG: home,
    DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
  };
  image = fixtures.busybox.reference;
  expect((await docker('pull', image)).code).toBe(0);
}, 180_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('docker run options reach the container', () => {
  it('sets env, working directory, user and hostname', async () => {
    const out = await sh(
      ['-e', 'FOO=bar', '-w', '/tmp', '-u', '1000:1000', '--hostname', 'box1'],
      'echo $FOO $(pwd) $(id -u):$(id -g) $(hostname)',
    );
    expect(out).toMatchObject({ code: 0, stdout: 'bar /tmp 1000:1000 box1\n' });
  });

  it('replaces the entrypoint', async () => {
    const out = await docker('run', '--rm', '--entrypoint', 'echo', image, 'from', 'entrypoint');
    expect(out).toMatchObject({ code: 0, stdout: 'from entrypoint\n' });
  });

  it('keeps the root read-only with --read-only', async () => {
    const out = await sh(['--read-only'], 'touch /x');
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('Read-only file system');
  });

  it('drops every capability with --cap-drop ALL and grants them with --privileged', async () => {
    const none = await sh(['--cap-drop', 'ALL'], 'grep CapEff /proc/self/status');
    expect(none.stdout).toMatch(/CapEff:\s+0000000000000000/);
    const all = await sh(['--privileged'], 'grep CapEff /proc/self/status');
    expect(all.stdout).toMatch(
      /CapEff:\s+000001ffffffffff|CapEff:\s+000003ffffffffff|CapEff:\s+0000003fffffffff/,
    );
  });

  it('binds a host directory and keeps a named volume between containers', async () => {
    const dir = await mkdtemp(join(home, 'bind-'));
    await writeFile(join(dir, 'in.txt'), 'from host\n');
    const bound = await sh(['-v', `${dir}:/data`], 'cat /data/in.txt; echo back > /data/out.txt');
    expect(bound).toMatchObject({ code: 0, stdout: 'from host\n' });
    expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('back\n');
    expect((await sh(['-v', 'keep:/v'], 'echo kept > /v/f')).code).toBe(0);
    expect(await sh(['-v', 'keep:/v'], 'cat /v/f')).toMatchObject({ code: 0, stdout: 'kept\n' });
  });

  it('has only loopback with --network none and the host’s name with --network host', async () => {
    const none = await sh(['--network', 'none'], 'ls /sys/class/net');
    expect(none.stdout.trim()).toBe('lo');
    const host = await sh(['--network', 'host'], 'hostname');
    expect(host.stdout.trim()).toBe(hostname());
  });

  it('publishes a port on 127.0.0.1 from the default bridge', async () => {
    const run = await docker(
      'run',
      '-d',
      '--name',
      'web',
      '-p',
      '127.0.0.1::80',
      image,
      'sh',
      '-c',
      'mkdir /www && echo hello-web > /www/index.html && httpd -f -p 80 -h /www',
    );
    expect(run.code).toBe(0);
    const port = (await docker('port', 'web', '80/tcp')).stdout.trim();
    expect(port).toMatch(/^127\.0\.0\.1:\d+$/);
    let body = '';
    for (let i = 0; i < 50 && body === ''; i++) {
      body = await fetch(`http://${port}/`).then(
        (r) => r.text(),
        () => '',
      );
      if (body === '') await new Promise((done) => setTimeout(done, 100));
    }
    expect(body).toBe('hello-web\n');
    expect((await docker('rm', '-f', 'web')).code).toBe(0);
  });

  it('applies memory and pids limits to the container’s cgroup', async () => {
    const run = await docker(
      'run',
      '-d',
      '--name',
      'limited',
      '-m',
      '32m',
      '--pids-limit',
      '20',
      image,
      'sleep',
      '60',
    );
    expect(run.code).toBe(0);
    const pid = (await docker('inspect', '--format', '{{.State.Pid}}', 'limited')).stdout.trim();
    const cgroups = await readFile(`/proc/${pid}/cgroup`, 'utf8');
    const memory = /:memory:(.*)$/m.exec(cgroups)?.[1] ?? '';
    const pids = /:pids:(.*)$/m.exec(cgroups)?.[1] ?? '';
    const limit = await readFile(`/sys/fs/cgroup/memory${memory}/memory.limit_in_bytes`, 'utf8');
    expect(Number(limit)).toBe(32 * 1024 * 1024);
    expect((await readFile(`/sys/fs/cgroup/pids${pids}/pids.max`, 'utf8')).trim()).toBe('20');
    expect((await docker('rm', '-f', 'limited')).code).toBe(0);
  });

  it('removes a --rm container once it exits', async () => {
    expect((await docker('run', '--rm', '--name', 'gone', image, 'true')).code).toBe(0);
    const ps = await docker('ps', '-a', '--filter', 'name=gone', '--format', '{{.Names}}');
    expect(ps.stdout.trim()).toBe('');
  });
});
