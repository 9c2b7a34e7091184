import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pack } from 'tar-stream';
import { RegistryHandle, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { BigImage, pushBigImage } from './support/big-image';
import { LayeredImage, pushLayeredImage } from './support/layered-image';
import { Topology, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
const AS_ROOT = process.getuid?.() === 0;
const MiB = 1024 * 1024;
/** The data root's size: the filler image fits, the big image does not fit beside it. */
const DISK = 48 * MiB;

let registry: RegistryHandle;
let home: string;
let filler: BigImage;
let big: BigImage;
let small: LayeredImage;

beforeAll(async () => {
  if (!AS_ROOT) return;
  registry = await startRegistry();
  filler = await pushBigImage(registry.host, 'disk/filler', 16 * MiB, 11);
  big = await pushBigImage(registry.host, 'disk/big', 64 * MiB, 21);
  small = await pushLayeredImage(registry.host, 'disk/small', 3, 31);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-disk-'));
}, 300_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

(AS_ROOT ? describe : describe.skip)(
  `a full disk, embedded topology (a ${DISK / MiB} MiB tmpfs data root${AS_ROOT ? '' : '; skipped: needs root to mount tmpfs'})`,
  () => {
    let mount: string;
    let stevedore: Topology;
    let env: Record<string, string>;
    const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);
    const ping = async () => (await fetch(`${stevedore.url}/_ping`)).status;

    beforeAll(async () => {
      mount = await mkdtemp(join(tmpdir(), 'stevedore-e2e-tmpfs-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK}`, 'tmpfs', mount]);
      // Interrupted downloads beyond 1 MiB in all are stale: prune may reclaim the big one.
      stevedore = await startEmbedded(mount, { daemonConfig: { 'ingest-max-bytes': MiB } });
      env = {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: home,
        DOCKER_CONFIG: home,
        DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
      };
    }, 120_000);

    afterAll(async () => {
      await stevedore?.stop();
      if (mount) {
        execFileSync('umount', ['-l', mount]);
        await rm(mount, { recursive: true, force: true });
      }
    });

    it('a pull larger than the free space fails cleanly with "no space left on device", and the daemon stays up', async () => {
      expect((await docker('pull', '-q', filler.reference)).code).toBe(0);
      const pulled = await docker('pull', big.reference);
      expect(pulled.code).toBe(1);
      expect(pulled.stdout + pulled.stderr).toContain('no space left on device');
      expect(pulled.stdout + pulled.stderr).not.toMatch(/internal (server )?error/);
      expect(await ping()).toBe(200);
      const listed = await docker('images', '--format', '{{.Repository}}');
      expect(listed.stdout.trim().split('\n')).toEqual([filler.reference.replace(/:v1$/, '')]);
    }, 300_000);

    it('while the disk is full, a tag answers in the OS words if it cannot be written, never "internal error"', async () => {
      const tagged = await docker('tag', filler.reference, 'disk/filler:copy');
      if (tagged.code !== 0) expect(tagged.stderr).toContain('no space left on device');
      expect(tagged.stderr).not.toMatch(/internal (server )?error/);
    });

    it('after `docker image prune -a` frees space through the API, pull, tag and prune succeed', async () => {
      const pruned = await docker('image', 'prune', '-a', '-f');
      expect(pruned.code).toBe(0);
      expect(pruned.stdout).toMatch(/Total reclaimed space: [1-9][\d.]*MB/);
      expect((await docker('pull', '-q', small.reference)).code).toBe(0);
      expect((await docker('tag', small.reference, 'disk/small:copy')).code).toBe(0);
      const images = await docker('images', '--format', '{{.Repository}}:{{.Tag}}');
      expect(images.stdout.trim().split('\n').sort()).toEqual(
        [small.reference, 'disk/small:copy'].sort(),
      );
      const again = await docker('image', 'prune', '-f');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('Total reclaimed space');
      expect(await ping()).toBe(200);
    }, 300_000);

    it('an import whose client is killed mid-upload leaves no spool file, and the next import works', async () => {
      const pid = stevedore.processes.get('stevedore')?.pid;
      const spool = join(tmpdir(), 'stevedore-spool', String(pid));
      const client = spawn(DOCKER, ['import', '-', 'disk/imported:1'], {
        env,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      client.stdin.on('error', () => undefined); // the pipe breaks when the client is killed
      const tar = pack();
      tar.entry({ name: 'big', size: 32 * MiB }, Buffer.alloc(32 * MiB, 5));
      tar.finalize();
      let sent = 0;
      for await (const chunk of tar) {
        if (!client.stdin.write(chunk)) await new Promise((r) => client.stdin.once('drain', r));
        sent += (chunk as Buffer).length;
        if (sent > 4 * MiB) break;
      }
      await sleep(500); // let the upload reach the spool
      client.kill('SIGKILL');
      let left: string[] = ['?'];
      for (let i = 0; i < 50 && left.length > 0; i += 1) {
        left = await readdir(spool).catch(() => []);
        if (left.length > 0) await sleep(100);
      }
      expect(left).toEqual([]);
      expect(await ping()).toBe(200);
      const rootfs = pack();
      rootfs.entry({ name: 'etc/hostname' }, 'imported\n');
      rootfs.finalize();
      const next = spawn(DOCKER, ['import', '-', 'disk/imported:2'], { env });
      rootfs.pipe(next.stdin);
      const code = await new Promise((resolve) => next.once('close', resolve));
      expect(code).toBe(0);
    }, 120_000);
  },
);
