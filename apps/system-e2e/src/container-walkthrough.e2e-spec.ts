import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllApps } from './support/app-process';
import {
  DOCKER,
  DockerCli,
  busyboxRootfsTar,
  dockerCli,
  importBusybox,
} from './support/busybox-import';
import { runInPty } from './support/pty-session';
import { Topology, startCluster, startEmbedded } from './support/topology';

// Issue 11's "Done when": the first way Docker users make an image, from a container, with the real
// docker CLI at a terminal, in both topologies.

afterAll(async () => {
  await killAllApps();
});

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster()],
] as const)('the container walkthrough with the docker CLI in a terminal (%s)', (_name, start) => {
  let home: string;
  let stevedore: Topology;
  let cli: DockerCli;
  let busyboxId: string;
  let containerId: string;
  let committed: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-walkthrough-'));
    stevedore = await start();
    cli = dockerCli(stevedore.url, home);
    busyboxId = await importBusybox(cli, await busyboxRootfsTar(home));
  }, 180_000);

  afterAll(async () => {
    await stevedore?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('runs busybox -it, touches a file and exits 0', async () => {
    const session = await runInPty(
      `${DOCKER} run -it --name walk busybox sh`,
      ['touch /text.txt', 'exit'],
      cli.env,
      /\/ # /,
    );
    expect({ code: session.code, output: session.output }).toEqual({
      code: 0,
      output: expect.stringContaining('touch /text.txt'),
    });
    containerId = (await cli.ok('inspect', '--format', '{{.Id}}', 'walk')).trim();
  }, 90_000);

  it('shows it Exited (0) in docker ps -a', async () => {
    const rows = await cli.ok(
      'ps',
      '-a',
      '--format',
      '{{.ID}}|{{.Image}}|{{.Command}}|{{.Status}}',
    );
    expect(rows).toMatch(
      new RegExp(`^${short(containerId)}\\|busybox\\|"sh.*"\\|Exited \\(0\\) .* ago$`, 'm'),
    );
  });

  it('commits it with an author and prints the new image ID', async () => {
    committed = (
      await cli.ok('commit', '-a', 'add file', short(containerId), 'busybox:1.0')
    ).trim();
    expect(committed).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(committed).not.toBe(busyboxId);
    const author = await cli.ok('image', 'inspect', '--format', '{{.Author}}', 'busybox:1.0');
    expect(author).toBe('add file\n');
  }, 60_000);

  it('lists both tags in docker images', async () => {
    const images = await cli.ok('images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}');
    expect(images.split('\n').filter(Boolean).sort()).toEqual([
      `busybox:1.0 ${short(committed)}`,
      `busybox:latest ${short(busyboxId)}`,
    ]);
  });

  it('finds the file in a container of the new image', async () => {
    expect(await cli.ok('run', '--rm', 'busybox:1.0', 'ls', '/text.txt')).toBe('/text.txt\n');
    const missing = await cli.run('run', '--rm', 'busybox', 'ls', '/text.txt');
    expect(missing.code).toBe(1);
  }, 60_000);

  it('refuses to remove busybox while the container uses it, in Docker’s words', async () => {
    const refused = await cli.run('rmi', 'busybox');
    expect({ code: refused.code, stderr: refused.stderr }).toEqual({
      code: 1,
      stderr: `Error response from daemon: conflict: unable to remove repository reference "busybox" (must force) - container ${short(containerId)} is using its referenced image ${short(busyboxId)}\n`,
    });
  });

  it('removes busybox once the container is gone, keeping busybox:1.0 runnable', async () => {
    expect(await cli.ok('rm', 'walk')).toBe('walk\n');
    const removed = await cli.ok('rmi', 'busybox');
    expect(removed.split('\n')[0]).toBe('Untagged: busybox:latest');
    const images = await cli.ok('images', '--format', '{{.Repository}}:{{.Tag}}');
    expect(images).toBe('busybox:1.0\n');
    expect(await lsExitCode(cli, 'busybox:1.0')).toBe('0\n');
  }, 60_000);
});

/** lsExitCode is `docker wait`'s answer for a detached `ls /text.txt` in `image` (then removed). */
async function lsExitCode(cli: DockerCli, image: string): Promise<string> {
  const id = (await cli.ok('run', '-d', image, 'ls', '/text.txt')).trim();
  const code = await cli.ok('wait', id);
  await cli.ok('rm', id);
  return code;
}
