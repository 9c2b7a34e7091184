import { spawn, ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, TopologyOptions, startCluster, startEmbedded } from './support/topology';

const PODMAN = '/usr/bin/podman';
const CTR = '/usr/bin/ctr';
const CONTAINERD = '/usr/bin/containerd';
const AS_ROOT = process.getuid?.() === 0;

let upstream: RegistryHandle;
let fixtures: Fixtures;
let work: string;
let containerd: ChildProcess | undefined;
let socket: string;

/** startContainerd runs Debian's containerd on a socket, root and state of the test's own. */
async function startContainerd(dir: string): Promise<ChildProcess> {
  await mkdir(dir, { recursive: true });
  socket = join(dir, 'containerd.sock');
  const config = join(dir, 'config.toml');
  await writeFile(
    config,
    [
      'version = 2',
      `root = "${join(dir, 'root')}"`,
      `state = "${join(dir, 'state')}"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      '[grpc]',
      `  address = "${socket}"`,
      '[ttrpc]',
      `  address = "${socket}.ttrpc"`,
    ].join('\n'),
  );
  const child = spawn(CONTAINERD, ['--config', config], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i += 1) await sleep(100);
  return child;
}

beforeAll(async () => {
  upstream = await startRegistry();
  fixtures = await pushFixtures(upstream);
  work = await mkdtemp(join(tmpdir(), 'stevedore-e2e-registry-clients-'));
  if (AS_ROOT) containerd = await startContainerd(join(work, 'containerd'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await upstream?.stop();
  if (containerd) {
    containerd.kill('SIGTERM');
    await once(containerd, 'exit');
  }
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe.each([
  ['embedded', (o: TopologyOptions) => startEmbedded(undefined, o)],
  ['cluster', (o: TopologyOptions) => startCluster(o)],
] as const)(
  `podman and ctr against the registry face of the %s topology${AS_ROOT ? '' : ' (skipped: needs root for podman and containerd)'}`,
  (name, start) => {
    let stevedore: Topology;
    let v2: string;
    // Podman refuses a runroot longer than 50 characters.
    let runroot: string;
    const podman = (...args: string[]): Promise<CommandResult> =>
      runCommand(
        PODMAN,
        [
          '--root',
          join(work, `podman-${name}`, 'root'),
          '--runroot',
          runroot,
          '--storage-driver',
          'vfs',
          ...args,
        ],
        { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: work },
      );
    const ctr = (...args: string[]): Promise<CommandResult> =>
      runCommand(CTR, ['--address', socket, '--namespace', `e2e-${name}`, ...args], {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      });

    beforeAll(async () => {
      runroot = await mkdtemp('/tmp/sd-podman-');
      stevedore = await start({ daemonConfig: { 'registry-mirrors': [upstream.url] } });
      v2 = stevedore.registry.replace(/^http:\/\//, '');
      // Into the store through its own /v2/.
      await runCommand(
        '/usr/bin/skopeo',
        [
          '--insecure-policy',
          'copy',
          '--src-tls-verify=false',
          '--dest-tls-verify=false',
          `docker://${fixtures.busybox.reference}`,
          `docker://${v2}/e2e/busybox:1`,
        ],
        { PATH: '/usr/bin:/bin', HOME: work },
      );
    }, 120_000);
    afterAll(async () => {
      await stevedore?.stop();
      if (runroot !== undefined) await rm(runroot, { recursive: true, force: true });
    });

    (AS_ROOT ? it : it.skip)(
      'podman pulls from /v2/ and pushes back under another name',
      async () => {
        const pulled = await podman('pull', '--tls-verify=false', `${v2}/e2e/busybox:1`);
        expect(pulled.stderr).toContain('Writing manifest to image destination');
        expect(pulled).toMatchObject({ code: 0 });
        const pushed = await podman(
          'push',
          '--tls-verify=false',
          `${v2}/e2e/busybox:1`,
          `docker://${v2}/e2e/from-podman:1`,
        );
        expect(pushed.stderr).not.toMatch(/error/i);
        expect(pushed).toMatchObject({ code: 0 });
        const tags = await fetch(`${stevedore.registry}/v2/e2e/from-podman/tags/list`);
        expect(await tags.json()).toEqual({ name: 'e2e/from-podman', tags: ['1'] });
        const repull = await podman('pull', '--tls-verify=false', `${v2}/e2e/from-podman:1`);
        expect(repull).toMatchObject({ code: 0 });
      },
      180_000,
    );

    (AS_ROOT ? it : it.skip)(
      "containerd's ctr pulls from /v2/ over plain HTTP",
      async () => {
        const pulled = await ctr(
          'images',
          'pull',
          '--plain-http',
          '--snapshotter',
          'native',
          `${v2}/e2e/busybox:1`,
        );
        expect(pulled).toMatchObject({ code: 0 });
        const listed = await ctr('images', 'list', '--quiet');
        expect(listed.stdout).toContain(`${v2}/e2e/busybox:1`);
        const checked = await ctr('images', 'check');
        expect(checked.stdout).toMatch(/complete/);
      },
      180_000,
    );
  },
);
