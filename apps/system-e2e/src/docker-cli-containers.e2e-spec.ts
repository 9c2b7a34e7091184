import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startEmbedded } from './support/topology';
import { skipNote } from './support/skip-note';

const DOCKER = '/usr/local/bin/docker';

// Until the runtime service is part of the build, there is nothing to run containers with.
const RUNTIME_BUILT = existsSync(resolve(__dirname, '../../../libs/services/runtime/src/index.ts'));
const describeWithRuntime = RUNTIME_BUILT ? describe : describe.skip;

let registry: RegistryHandle;
let fixtures: Fixtures;
let home: string;

beforeAll(async () => {
  if (!RUNTIME_BUILT) return;
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-containers-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

describeWithRuntime(
  `containers through the docker CLI (embedded topology)${skipNote(Boolean(RUNTIME_BUILT), 'the runtime is not built')}`,
  () => {
    let stevedore: Topology;
    let env: Record<string, string>;
    let busybox: string;
    const docker = (...args: string[]): Promise<CommandResult> =>
      runCommand(DOCKER, args, env, 60_000);
    const ok = async (...args: string[]): Promise<string> => {
      const result = await docker(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 0,
        stderr: expect.any(String),
      });
      return result.stdout;
    };

    beforeAll(async () => {
      stevedore = await startEmbedded();
      env = {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: home,
        DOCKER_CONFIG: home,
        DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
      };
      busybox = fixtures.busybox.reference;
    }, 120_000);

    it('runs a command, pulling the image it does not have, and shows its output and exit code', async () => {
      const result = await docker(
        'run',
        '--name',
        'walk',
        busybox,
        'sh',
        '-c',
        'echo hello; touch /text.txt',
      );
      expect(result.stderr).toContain(`Unable to find image '${busybox}' locally`);
      expect(result.stdout).toBe('hello\n');
      expect(result.code).toBe(0);
      const failing = await docker('run', '--rm', busybox, 'sh', '-c', 'exit 3');
      expect(failing.code).toBe(3);
    }, 120_000);

    it('lists the exited container in docker ps -a, and not in docker ps', async () => {
      expect(await ok('ps', '--format', '{{.Names}}')).not.toContain('walk');
      const rows = (
        await ok('ps', '-a', '--format', '{{.Names}}|{{.Image}}|{{.Command}}|{{.Status}}')
      ).split('\n');
      expect(rows).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^walk\\|${busybox.replace(/[.]/g, '\\.')}\\|"sh -c .*"\\|Exited \\(0\\) .* ago$`,
          ),
        ),
      );
      expect(
        await ok('ps', '-a', '-q', '--filter', 'status=exited', '--filter', 'name=walk'),
      ).toMatch(/^[0-9a-f]{12}\n$/);
    });

    it('inspects the container and shows its logs', async () => {
      expect(
        await ok('inspect', '--format', '{{.State.Status}} {{.State.ExitCode}} {{.Name}}', 'walk'),
      ).toBe('exited 0 /walk\n');
      expect(await ok('logs', 'walk')).toBe('hello\n');
    });

    it('commits the container into an image that has the file', async () => {
      const id = (await ok('commit', '-a', 'add file', 'walk', 'walkimage:1.0')).trim();
      expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await ok('images', '--format', '{{.Repository}}:{{.Tag}}')).toContain('walkimage:1.0');
      expect(await ok('run', '--rm', 'walkimage:1.0', 'ls', '/text.txt')).toBe('/text.txt\n');
    }, 60_000);

    it('refuses to remove the image a container uses, in Docker’s words', async () => {
      const cid = (await ok('inspect', '--format', '{{.Id}}', 'walk')).trim();
      const image = (await ok('image', 'inspect', '--format', '{{.Id}}', busybox)).trim();
      const refused = await docker('rmi', busybox);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `Error response from daemon: conflict: unable to remove repository reference "${busybox}" (must force) - container ${short(cid)} is using its referenced image ${short(image)}\n`,
      );
    });

    it('stops a detached container and removes both', async () => {
      const id = (await ok('run', '-d', '--name', 'sleeper', busybox, 'sleep', '300')).trim();
      expect(await ok('ps', '--format', '{{.ID}} {{.Status}}')).toMatch(
        new RegExp(`^${short(id)} Up `, 'm'),
      );
      expect(await ok('stop', '-t', '1', 'sleeper')).toBe('sleeper\n');
      expect(await ok('ps', '-a', '--filter', 'name=sleeper', '--format', '{{.Status}}')).toMatch(
        /^Exited \(\d+\) /,
      );
      expect((await ok('rm', 'walk', 'sleeper')).split('\n').sort()).toEqual([
        '',
        'sleeper',
        'walk',
      ]);
      expect(await ok('ps', '-a', '-q')).toBe('');
    }, 60_000);

    it('removes the image once no container uses it', async () => {
      await ok('rmi', 'walkimage:1.0');
      expect(await ok('rmi', busybox)).toContain(`Untagged: ${busybox}`);
    });
  },
);
