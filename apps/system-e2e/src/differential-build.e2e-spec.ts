import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import {
  ContextName,
  buildContexts,
  maskIds,
  withoutNotice,
  writeContext,
} from './support/build-contexts';
import { DockerCli, dockerCli } from './support/busybox-import';
import { Dockerd, dockerdAvailable, startDockerd } from './support/dockerd';
import { Topology, startEmbedded } from './support/topology';
import { skipNote } from './support/skip-note';

// Issue 12's differential: the same Dockerfiles built by Debian's dockerd 20.10 (classic builder)
// and by Stevedore, through the same docker CLI at API 1.41, from the same base image (Stevedore's
// busybox fixture, saved and loaded into dockerd, so even the FROM step's ID is the same).
const describeWithDockerd = dockerdAvailable() ? describe : describe.skip;

type Side = 'dockerd' | 'stevedore';
let registry: RegistryHandle;
let fixtures: Fixtures;
let home: string;
let stevedore: Topology;
let dockerd: Dockerd;
let contexts: ReturnType<typeof buildContexts>;
const sides: Record<Side, DockerCli> = {} as never;

beforeAll(async () => {
  if (!dockerdAvailable()) return;
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-differential-build-'));
  [stevedore, dockerd] = await Promise.all([startEmbedded(), startDockerd()]);
  sides.stevedore = dockerCli(stevedore.url, join(home, 'stevedore'), '1.41');
  sides.dockerd = dockerCli(dockerd.host, join(home, 'dockerd'), '1.41');
  const base = fixtures.busybox.reference;
  await sides.stevedore.ok('pull', base);
  await sides.stevedore.ok('save', '-o', join(home, 'base.tar'), base);
  await sides.dockerd.ok('load', '-i', join(home, 'base.tar'));
  contexts = buildContexts(base);
}, 240_000);

afterAll(async () => {
  await killAllApps();
  await dockerd?.stop();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** both runs one CLI command on each daemon, dockerd first. */
async function both(...args: string[]): Promise<Record<Side, CommandResult>> {
  const d = await sides.dockerd.run(...args);
  const s = await sides.stevedore.run(...args);
  return { dockerd: d, stevedore: s };
}

/** buildBoth builds the named context on both daemons (RUN steps without a network). */
async function buildBoth(name: ContextName, ...args: string[]) {
  const dir = await writeContext(join(home, 'contexts', name), contexts[name]);
  return both('build', '--network', 'none', ...args, dir);
}

/** What a build shows its user, IDs masked: exit code, every stdout line, stderr less the notice. */
function seen(result: CommandResult) {
  return {
    code: result.code,
    stdout: maskIds(result.stdout),
    stderr: maskIds(withoutNotice(result)),
  };
}

function expectSameBuild(results: Record<Side, CommandResult>): void {
  expect(seen(results.stevedore)).toEqual(seen(results.dockerd));
}

const CONFIG =
  '{{json .Config.Cmd}}|{{json .Config.Entrypoint}}|{{json .Config.Env}}|{{json .Config.ExposedPorts}}|' +
  '{{json .Config.Labels}}|{{json .Config.WorkingDir}}|{{json .Config.User}}|{{json .Config.OnBuild}}|{{.Author}}';

/** Entries dockerd's init layer adds to every container; not part of the image. */
const INIT_ENTRIES =
  /^(\.dockerenv|dev\/.*|proc\/|sys\/|etc\/(hostname|hosts|mtab|resolv\.conf))( |$)/;

/** fileTree is `docker export` of a container of `image`: mode, owner, size and name of each entry. */
async function fileTree(side: Side, image: string): Promise<string[]> {
  const cli = sides[side];
  const id = (await cli.ok('create', '--network', 'none', image)).trim();
  const tar = join(home, `${side}-${id}.tar`);
  await cli.ok('export', '-o', tar, id);
  await cli.ok('rm', id);
  const listing = await runCommand('/usr/bin/tar', ['-tvf', tar, '--numeric-owner'], {});
  const entries = listing.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(/\s+/))
    .map(([mode, owner, size, , , ...name]) => `${mode} ${owner} ${size} ${name.join(' ')}`)
    .filter((entry) => !INIT_ENTRIES.test(entry.split(' ').slice(3).join(' ')));
  // dockerd's init layer makes /etc for its mounts; it counts only when the image has something in it.
  const hasEtc = entries.some((e) => / etc\/./.test(e));
  return entries.filter((e) => hasEtc || !/ etc\/$/.test(e)).sort();
}

async function expectSameImage(image: string): Promise<void> {
  const config = await both('inspect', '--format', CONFIG, image);
  expect(config.stevedore.stdout).toBe(config.dockerd.stdout);
  const history = await both(
    'history',
    '--no-trunc',
    '--format',
    '{{.CreatedBy}}|{{.Comment}}',
    image,
  );
  expect(history.stevedore.stdout).toBe(history.dockerd.stdout);
  const layers = await both('inspect', '--format', '{{len .RootFS.Layers}}', image);
  expect(layers.stevedore.stdout).toBe(layers.dockerd.stdout);
  expect(await fileTree('stevedore', image)).toEqual(await fileTree('dockerd', image));
}

describeWithDockerd(
  `docker build, Stevedore beside dockerd 20.10’s classic builder (API 1.41)${skipNote(dockerdAvailable(), 'dockerd 20.10 (docker.io) not installed')}`,
  () => {
    it.each([
      ['runoob', ['-t', 'runoob/busybox:6.7']],
      ['multiStage', ['-t', 'multi']],
      ['buildArgs', ['-t', 'args', '--build-arg', 'WHO=world', '--build-arg', 'UNUSED=1']],
      ['dockerignore', ['-t', 'ignored']],
      ['onbuildParent', ['-t', 'onbuild-parent']],
      ['onbuildChild', ['-t', 'onbuild-child']],
      ['config', ['-t', 'configured', '--label', 'from.cli=yes']],
      ['copyCache', ['-t', 'copied']],
    ] as const)(
      'builds %s with the same lines, then the same cache hits, to the same image',
      async (name, args) => {
        expectSameBuild(await buildBoth(name, ...args));
        const again = await buildBoth(name, ...args);
        expectSameBuild(again);
        expect(again.stevedore.stdout).toContain(' ---> Using cache');
        await expectSameImage(args[1]);
      },
      240_000,
    );

    it('rebuilds from the COPY whose content changed, as dockerd does', async () => {
      await writeFile(join(home, 'contexts', 'copyCache', 'data.txt'), 'two\n');
      contexts.copyCache['data.txt'] = 'two\n';
      const changed = await buildBoth('copyCache', '-t', 'copied');
      expectSameBuild(changed);
      expect(changed.dockerd.stdout).not.toContain('Using cache');
      await expectSameImage('copied');
    }, 240_000);

    it('fails a RUN with the same lines, message and exit code', async () => {
      const failed = await buildBoth('failingRun', '-t', 'failing');
      expectSameBuild(failed);
      expect(failed.dockerd.code).toBe(1);
      const images = await both('images', '-q', 'failing');
      expect([images.stevedore.stdout, images.dockerd.stdout]).toEqual(['', '']);
    }, 120_000);

    it.each([
      ['unknownInstruction', []],
      ['outsideContext', []],
      ['stageOutOfBounds', []],
      ['multiStage', ['--target', 'nosuch']],
    ] as const)(
      'refuses %s %j in the same words',
      async (name, args) => {
        const refused = await buildBoth(name, ...args, '-t', 'refused');
        expectSameBuild(refused);
        expect(refused.dockerd.code).toBe(1);
      },
      120_000,
    );

    it.each([
      ['--no-cache', ['--no-cache']],
      ['--cache-from', ['--cache-from', 'runoob/busybox:6.7']],
      ['--pull', ['--pull']],
    ] as const)(
      'rebuilds issue 12’s Dockerfile with %s as dockerd does',
      async (_flag, args) => {
        expectSameBuild(await buildBoth('runoob', ...args, '-t', 'runoob/busybox:6.8'));
        await expectSameImage('runoob/busybox:6.8');
      },
      240_000,
    );

    it('answers a quiet build (-q) with the image ID alone', async () => {
      const quiet = await buildBoth('runoob', '-q');
      expect(quiet.stevedore.code).toBe(0);
      expect(maskIds(quiet.stevedore.stdout)).toBe(maskIds(quiet.dockerd.stdout));
      expect(quiet.stevedore.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    }, 120_000);

    // dockerd 20.10 answers some client errors 500 (untyped errors); Stevedore 400 in the same words.
    it.each([
      ['buildargs=%7Bbad', 400],
      ['labels=%5B1%5D', 400],
      ['ulimits=bad', 400],
      ['isolation=hyperv', 400],
      ['securityopt=x', 400],
      ['squash=1', 400],
      ['platform=bogus%2Fx%2Fy%2Fz', 400],
      ['cachefrom=%7B%7D', 500],
      ['shmsize=abc', 500],
      ['version=3', 500],
      [`t=a%40sha256%3A${'0'.repeat(64)}`, 500],
    ] as const)('refuses POST /build?%s in dockerd’s words', async (query, dockerdStatus) => {
      const body = await contextTar('runoob');
      const theirs = await postBuild(dockerd.host, query, body);
      const ours = await postBuild(stevedore.url, query, body);
      expect(ours.message).toBe(theirs.message);
      expect([theirs.status, ours.status]).toEqual([dockerdStatus, 400]);
    });
  },
);

/** contextTar is a written context as the CLI sends it: a plain tar. */
async function contextTar(name: ContextName): Promise<Buffer> {
  const dir = await writeContext(join(home, 'contexts', name), contexts[name]);
  const tar = await runCommand('/bin/sh', ['-c', `tar -C '${dir}' -cf - . | base64 -w0`], {});
  return Buffer.from(tar.stdout, 'base64');
}

interface Answered {
  status: number;
  message: string;
}

/** postBuild sends `POST /v1.41/build?<query>` with `body` to a unix socket or a TCP URL. */
function postBuild(target: string, query: string, body: Buffer): Promise<Answered> {
  const where = target.startsWith('unix://')
    ? { socketPath: target.slice('unix://'.length) }
    : { host: new URL(target).hostname, port: Number(new URL(target).port) };
  const headers = { 'content-type': 'application/x-tar' };
  return new Promise((done, fail) => {
    const req = httpRequest(
      { ...where, method: 'POST', path: `/v1.41/build?${query}`, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const { message } = JSON.parse(text) as { message: string };
          done({ status: res.statusCode ?? 0, message });
        });
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}
