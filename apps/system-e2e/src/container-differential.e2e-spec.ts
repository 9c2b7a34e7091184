import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllApps } from './support/app-process';
import { DockerCli, busyboxRootfsTar, dockerCli, importBusybox } from './support/busybox-import';
import { Dockerd, dockerdAvailable, startDockerd } from './support/dockerd';
import { Topology, startEmbedded } from './support/topology';
import { skipNote } from './support/skip-note';

// The oracle is Debian's dockerd 20.10, run as root on its own socket; without it this is skipped.
const describeWithDockerd = dockerdAvailable() ? describe : describe.skip;

let home: string;
let stevedore: Topology;
let dockerd: Dockerd;
const sides: Record<'stevedore' | 'dockerd', DockerCli> = {} as never;

beforeAll(async () => {
  if (!dockerdAvailable()) return;
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-differential-'));
  [stevedore, dockerd] = await Promise.all([startEmbedded(), startDockerd()]);
  sides.stevedore = dockerCli(stevedore.url, home, '1.41');
  sides.dockerd = dockerCli(dockerd.host, home, '1.41');
  await importBusybox(sides.stevedore, await busyboxRootfsTar(home));
  // The same image on both sides: Stevedore's busybox, saved and loaded into dockerd.
  const saved = join(home, 'busybox-saved.tar');
  await sides.stevedore.ok('save', '-o', saved, 'busybox:latest');
  await sides.dockerd.ok('load', '-i', saved);
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await dockerd?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** both runs the same command on both daemons. */
async function both(...args: string[]) {
  const [s, d] = await Promise.all([sides.stevedore.run(...args), sides.dockerd.run(...args)]);
  return { stevedore: s, dockerd: d };
}

/** sameOutcome: the same exit code and (IDs and times masked) the same stderr on both sides. */
function expectSameOutcome(r: Awaited<ReturnType<typeof both>>): void {
  const view = (x: { code: number; stderr: string }) => ({
    code: x.code,
    stderr: mask(x.stderr),
  });
  expect(view(r.stevedore)).toEqual(view(r.dockerd));
}

/** mask hides what differs by nature between two daemons: IDs and durations. */
function mask(text: string): string {
  return text
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<id>')
    .replace(/\b[0-9a-f]{64}\b/g, '<id>')
    .replace(/\b[0-9a-f]{12}\b/g, '<short>')
    .replace(/(Less than a second|About a minute|About an hour|\d+ \w+) ago/g, '<t> ago');
}

/** keysOf is the set of key paths of a JSON value, down to `depth` levels. */
function keysOf(value: unknown, depth: number, prefix = ''): string[] {
  if (depth === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
    `${prefix}${k}`,
    ...keysOf(v, depth - 1, `${prefix}${k}.`),
  ]);
}

async function inspectBoth(format: string, ...refs: string[]) {
  const r = await both('inspect', '--format', format, ...refs);
  expectSameOutcome(r);
  return { stevedore: r.stevedore.stdout, dockerd: r.dockerd.stdout };
}

describeWithDockerd(
  `containers and commit, Stevedore beside dockerd 20.10 (API 1.41)${skipNote(dockerdAvailable(), 'dockerd 20.10 (docker.io) not installed')}`,
  () => {
    it('runs the walkthrough’s container to the same exit, status and diff', async () => {
      const run = await both(
        'run',
        '-d',
        '--network',
        'none',
        '--name',
        'walk',
        'busybox',
        'sh',
        '-c',
        'touch /text.txt',
      );
      expectSameOutcome(run);
      expect(run.dockerd.code).toBe(0);
      const wait = await both('wait', 'walk');
      expect(wait.stevedore.stdout).toBe('0\n');
      expect(wait.dockerd.stdout).toBe('0\n');
      const ps = await both(
        'ps',
        '-a',
        '--no-trunc',
        '--format',
        '{{.Image}}|{{.Command}}|{{.Status}}|{{.Names}}',
      );
      expect(mask(ps.stevedore.stdout)).toBe(mask(ps.dockerd.stdout));
      expect(ps.stevedore.stdout).toMatch(/^busybox\|"sh -c 'touch \/text\.txt'"\|Exited \(0\) /);
      const table = await both('ps', '-a');
      // Column widths follow the content ("1 second ago"); the columns must be dockerd's.
      const header = (out: string) => out.split('\n')[0]?.split(/\s{2,}/);
      expect(header(table.stevedore.stdout)).toEqual(header(table.dockerd.stdout));
      const diff = await both('diff', 'walk');
      expectSameOutcome(diff);
      const sorted = (s: string) => s.split('\n').filter(Boolean).sort();
      expect(sorted(diff.stevedore.stdout)).toEqual(sorted(diff.dockerd.stdout));
    }, 60_000);

    it('inspects the container with the same keys (top level, State, Config)', async () => {
      const out = await inspectBoth('{{json .}}', 'walk');
      const s = JSON.parse(out.stevedore) as Record<string, unknown>;
      const d = JSON.parse(out.dockerd) as Record<string, unknown>;
      expect(keysOf(s, 1).sort()).toEqual(keysOf(d, 1).sort());
      for (const part of ['State', 'Config'])
        expect(keysOf(s[part], 1).sort()).toEqual(keysOf(d[part], 1).sort());
      expect(s['Config']).toEqual({
        ...(d['Config'] as object),
        Hostname: (s['Config'] as { Hostname: string }).Hostname,
      });
    });

    it('commits with the same image config keys, author, comment, layers and history', async () => {
      const commit = await both(
        'commit',
        '-a',
        'add file',
        '-m',
        'a message',
        '-c',
        'ENV A=1',
        'walk',
        'busybox:1.0',
      );
      expectSameOutcome(commit);
      expect(commit.stevedore.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
      const format =
        '{{.Author}}|{{.Comment}}|{{len .RootFS.Layers}}|{{json .Config.Env}}|{{json .Config.Cmd}}';
      const out = await inspectBoth(format, 'busybox:1.0');
      expect(out.stevedore).toBe(out.dockerd);
      expect(out.stevedore).toBe('add file|a message|2|["A=1"]|["sh","-c","touch /text.txt"]\n');
      const config = await inspectBoth('{{json .Config}}', 'busybox:1.0');
      expect(Object.keys(JSON.parse(config.stevedore) as object)).toEqual(
        Object.keys(JSON.parse(config.dockerd) as object),
      );
      const history = await both(
        'history',
        '--format',
        '{{.CreatedBy}}|{{.Comment}}',
        'busybox:1.0',
      );
      expect(history.stevedore.stdout).toBe(history.dockerd.stdout);
    }, 60_000);

    it('commits a container that changed nothing without adding a layer', async () => {
      expectSameOutcome(
        await both('run', '-d', '--network', 'none', '--name', 'idle', 'busybox', 'true'),
      );
      await both('wait', 'idle');
      expectSameOutcome(await both('commit', 'idle', 'idle:1'));
      const out = await inspectBoth('{{len .RootFS.Layers}}', 'idle:1');
      expect(out.stevedore).toBe(out.dockerd);
      expect(out.stevedore).toBe('1\n');
    }, 60_000);

    it('finds the file in the committed image and lists both tags', async () => {
      const run = await both(
        'run',
        '-d',
        '--network',
        'none',
        '--name',
        'check',
        'busybox:1.0',
        'ls',
        '/text.txt',
      );
      expectSameOutcome(run);
      const wait = await both('wait', 'check');
      expect([wait.stevedore.stdout, wait.dockerd.stdout]).toEqual(['0\n', '0\n']);
      const images = await both('images', '--format', '{{.Repository}}:{{.Tag}}', 'busybox');
      expect(images.stevedore.stdout.split('\n').sort()).toEqual(
        images.dockerd.stdout.split('\n').sort(),
      );
      expect(images.stevedore.stdout.split('\n').sort()).toEqual([
        '',
        'busybox:1.0',
        'busybox:latest',
      ]);
    }, 60_000);

    it('commits a running container (paused meanwhile), which keeps running', async () => {
      const args = ['run', '-d', '--network', 'none', '--name', 'live', 'busybox'];
      expectSameOutcome(await both(...args, 'sh', '-c', 'touch /live.txt; sleep 300'));
      await new Promise((done) => setTimeout(done, 1000));
      const commit = await both('commit', 'live', 'live:1');
      expectSameOutcome(commit);
      expect(commit.stevedore.code).toBe(0);
      const state = await inspectBoth('{{.State.Status}} {{.State.Paused}}', 'live');
      expect([state.stevedore, state.dockerd]).toEqual(['running false\n', 'running false\n']);
      const layers = await inspectBoth('{{len .RootFS.Layers}}', 'live:1');
      expect(layers.stevedore).toBe(layers.dockerd);
      expectSameOutcome(await both('rm', '-f', 'live'));
    }, 60_000);

    it('refuses bad commits with the same exit codes and messages', async () => {
      expectSameOutcome(await both('commit', 'nope', 'x:1'));
      expectSameOutcome(await both('commit', '-c', 'RUN true', 'walk', 'x:1'));
      expectSameOutcome(await both('commit', 'walk', 'Bad:Name'));
    });

    it('refuses to remove the image a container uses, then removes it after docker rm', async () => {
      const refused = await both('rmi', 'busybox');
      expectSameOutcome(refused);
      expect(refused.stevedore.code).toBe(1);
      expectSameOutcome(await both('rm', 'walk', 'idle', 'check'));
      const removed = await both('rmi', 'busybox');
      expectSameOutcome(removed);
      expect(removed.stevedore.stdout.split('\n')[0]).toBe(removed.dockerd.stdout.split('\n')[0]);
    }, 60_000);
  },
);
