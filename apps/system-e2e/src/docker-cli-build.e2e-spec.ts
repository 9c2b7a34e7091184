import { spawn } from 'node:child_process';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import {
  ContextName,
  buildContexts,
  stepLines,
  withoutNotice,
  writeContext,
} from './support/build-contexts';
import { DOCKER, DockerCli, dockerCli } from './support/busybox-import';
import { Topology, startCluster, startEmbedded } from './support/topology';

// Issue 12's "Done when": Dockerfiles built with the real docker CLI 28 (no buildx, so the classic
// builder's POST /build), in both topologies. RUN steps use --network none: the bridge is not the
// subject, and other suites run containers beside this one.

let registry: RegistryHandle;
let fixtures: Fixtures;
let guarded: RegistryHandle;
let guardedFixtures: Fixtures;
let home: string;

beforeAll(async () => {
  [registry, guarded] = await Promise.all([startRegistry(), startRegistry({ auth: 'htpasswd' })]);
  [fixtures, guardedFixtures] = await Promise.all([pushFixtures(registry), pushFixtures(guarded)]);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-build-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  await guarded?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster()],
] as const)('docker build through the classic builder (%s)', (topologyName, start) => {
  let stevedore: Topology;
  let cli: DockerCli;
  let contexts: ReturnType<typeof buildContexts>;
  let base: string;

  const dirOf = (name: string) => join(home, topologyName, name);
  const build = async (name: ContextName, ...args: string[]): Promise<CommandResult> => {
    const dir = await writeContext(dirOf(name), contexts[name]);
    return cli.run('build', '--network', 'none', ...args, dir);
  };
  const built = async (name: ContextName, ...args: string[]): Promise<string> => {
    const result = await build(name, ...args);
    expect({ code: result.code, stderr: withoutNotice(result) }).toEqual({ code: 0, stderr: '' });
    return result.stdout;
  };
  const run = (image: string, ...cmd: string[]) =>
    cli.ok('run', '--rm', '--network', 'none', image, ...cmd);
  const noContainers = async () => expect(await cli.ok('ps', '-a', '-q')).toBe('');

  beforeAll(async () => {
    stevedore = await start();
    cli = dockerCli(stevedore.url, join(home, topologyName));
    base = fixtures.busybox.reference;
    contexts = buildContexts(base);
    await cli.ok('pull', base);
  }, 180_000);

  afterAll(() => stevedore?.stop(), 120_000);

  describe('issue 12’s Dockerfile, adapted to busybox', () => {
    let first: string;

    it('builds with docker build -t runoob/busybox:6.7: one step line per instruction, Docker’s lines', async () => {
      first = await built('runoob', '-t', 'runoob/busybox:6.7');
      expect(stepLines(first)).toEqual([
        `Step 1/7 : FROM ${base}`,
        'Step 2/7 : MAINTAINER Fisher "fisher@sudops.com"',
        "Step 3/7 : RUN mkdir -p /tmp && echo 'root:123456' > /tmp/pw",
        "Step 4/7 : RUN mkdir -p /etc /home/runoob && echo 'runoob:x:1000:1000::/home/runoob:/bin/sh' >> /etc/passwd",
        'Step 5/7 : EXPOSE 22',
        'Step 6/7 : EXPOSE 80',
        'Step 7/7 : CMD echo "runoob says hi"',
      ]);
      expect(first).toMatch(/^Sending build context to Docker daemon {2}\S+\r*\n/);
      expect(first).toMatch(
        /^ ---> Running in [0-9a-f]{12}\nRemoving intermediate container [0-9a-f]{12}\n/m,
      );
      expect(first).toMatch(
        /\nSuccessfully built [0-9a-f]{12}\nSuccessfully tagged runoob\/busybox:6\.7\n$/,
      );
      const id = /Successfully built ([0-9a-f]{12})/.exec(first)?.[1];
      expect(await cli.ok('images', '--format', '{{.ID}}', 'runoob/busybox:6.7')).toBe(`${id}\n`);
    }, 180_000);

    it('runs its CMD: docker run --rm runoob/busybox:6.7', async () => {
      expect(await run('runoob/busybox:6.7')).toBe('runoob says hi\n');
      expect(await run('runoob/busybox:6.7', 'cat', '/tmp/pw')).toBe('root:123456\n');
    }, 60_000);

    it('shows one history row per step, above the base image’s rows', async () => {
      const rows = await cli.ok(
        'history',
        '--no-trunc',
        '--format',
        '{{.CreatedBy}}',
        'runoob/busybox:6.7',
      );
      const baseRows = await cli.ok('history', '-q', base);
      expect(rows.split('\n').filter(Boolean)).toHaveLength(
        6 + baseRows.split('\n').filter(Boolean).length,
      );
      expect(rows.split('\n').slice(0, 6)).toEqual([
        '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "echo \\"runoob says hi\\""]',
        '/bin/sh -c #(nop)  EXPOSE 80',
        '/bin/sh -c #(nop)  EXPOSE 22',
        "/bin/sh -c mkdir -p /etc /home/runoob && echo 'runoob:x:1000:1000::/home/runoob:/bin/sh' >> /etc/passwd",
        "/bin/sh -c mkdir -p /tmp && echo 'root:123456' > /tmp/pw",
        '/bin/sh -c #(nop)  MAINTAINER Fisher "fisher@sudops.com"',
      ]);
    });

    it('inspects to the exposed ports and the CMD', async () => {
      const out = await cli.ok(
        'inspect',
        '--format',
        '{{json .Config.ExposedPorts}} {{json .Config.Cmd}} {{.Author}}',
        'runoob/busybox:6.7',
      );
      expect(out).toBe(
        '{"22/tcp":{},"80/tcp":{}} ["/bin/sh","-c","echo \\"runoob says hi\\""] Fisher "fisher@sudops.com"\n',
      );
    });

    it('prints  ---> Using cache for every step of a second build, to the same image', async () => {
      const second = await built('runoob', '-t', 'runoob/busybox:6.7');
      expect(second.match(/^ ---> Using cache$/gm)).toHaveLength(6);
      expect(second).not.toContain('Running in');
      const id = (out: string) => /Successfully built ([0-9a-f]{12})/.exec(out)?.[1];
      expect(id(second)).toBe(id(first));
      await noContainers();
    }, 120_000);
  });

  it('builds a multi-stage Dockerfile: COPY --from a named stage', async () => {
    const out = await built('multiStage', '-t', 'multi');
    expect(stepLines(out)).toHaveLength(5);
    expect(await run('multi')).toBe('built\n');
    expect(
      (await cli.run('run', '--rm', '--network', 'none', 'multi', 'ls', '/out')).code,
    ).not.toBe(0);
  }, 180_000);

  it('substitutes build args and warns about one no ARG consumed', async () => {
    const out = await built(
      'buildArgs',
      '-t',
      'args',
      '--build-arg',
      'WHO=world',
      '--build-arg',
      'UNUSED=1',
    );
    expect(out).toContain('[Warning] One or more build-args [UNUSED] were not consumed\n');
    expect(await run('args')).toBe('hello, world\n');
    expect(await cli.ok('image', 'inspect', '--format', '{{json .Config.Env}}', 'args')).toContain(
      '"MSG=hello world"',
    );
  }, 180_000);

  it('leaves out what .dockerignore excludes, keeping its ! exceptions', async () => {
    await built('dockerignore', '-t', 'ignored');
    const files = (await run('ignored')).split('\n').filter(Boolean).sort();
    expect(files).toEqual(['/ctx/.dockerignore', '/ctx/Dockerfile', '/ctx/a.txt', '/ctx/keep.log']);
  }, 120_000);

  it('runs an ONBUILD trigger in the child build, not in the parent', async () => {
    await built('onbuildParent', '-t', 'onbuild-parent');
    const child = await built('onbuildChild', '-t', 'onbuild-child');
    expect(child).toMatch(
      /^Step 1\/2 : FROM onbuild-parent\n# Executing 1 build trigger\n ---> Running in /m,
    );
    expect(await run('onbuild-child')).toBe('triggered\n');
    expect(
      (await cli.run('run', '--rm', '--network', 'none', 'onbuild-parent', 'ls', '/onbuild.txt'))
        .code,
    ).toBe(1);
  }, 180_000);

  it('hits the cache for COPY until the copied content changes (not its mtime)', async () => {
    await built('copyCache', '-t', 'copied');
    const again = await built('copyCache', '-t', 'copied');
    expect(again.match(/^ ---> Using cache$/gm)).toHaveLength(2);
    const data = join(dirOf('copyCache'), 'data.txt');
    await utimes(data, new Date(), new Date(Date.now() + 60_000));
    expect((await built('copyCache', '-t', 'copied')).match(/^ ---> Using cache$/gm)).toHaveLength(
      2,
    );
    contexts.copyCache['data.txt'] = 'two\n';
    const changed = await built('copyCache', '-t', 'copied');
    expect(changed).not.toContain('Using cache');
    expect(changed).toMatch(/^Step 3\/3 : RUN cp \/data.txt \/copy.txt\n ---> Running in /m);
    expect(await run('copied', 'cat', '/copy.txt')).toBe('two\n');
    await writeFile(data, 'one\n');
  }, 240_000);

  it('fails a build whose RUN fails: Docker’s message, the code, no image, no container', async () => {
    const failed = await build('failingRun', '-t', 'failing:1');
    expect({ code: failed.code, stderr: withoutNotice(failed) }).toEqual({
      code: 1,
      stderr: "The command '/bin/sh -c echo about to fail && false' returned a non-zero code: 1\n",
    });
    expect(failed.stdout).toMatch(/ ---> Running in [0-9a-f]{12}\nabout to fail\n$/);
    expect(await cli.ok('images', '-q', 'failing')).toBe('');
    await noContainers();
  }, 120_000);

  it('cancels a build whose client goes away mid-RUN: no container left, no image', async () => {
    const dir = await writeContext(dirOf('sleeping'), contexts.sleeping);
    const child = spawn(DOCKER, ['build', '--network', 'none', '-t', 'sleeper', dir], {
      env: cli.env,
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    for (let i = 0; i < 600 && !out.includes('Running in'); i++) await sleep(100);
    expect(out).toContain('Running in');
    child.kill('SIGKILL');
    let left = 'not asked';
    for (let i = 0; i < 150 && left !== ''; i++, await sleep(200))
      left = await cli.ok('ps', '-a', '-q');
    // What a failed cancel left must not fail the tests after this one too.
    for (const id of left.split('\n').filter(Boolean)) await cli.run('rm', '-f', id);
    expect(left).toBe('');
    expect(await cli.ok('images', '-q', 'sleeper')).toBe('');
  }, 120_000);

  it('pulls a FROM image that needs a login with the credentials the CLI sends in X-Registry-Config', async () => {
    const dir = await writeContext(dirOf('guarded'), {
      Dockerfile: `FROM ${guardedFixtures.busybox.reference}\nRUN echo private > /from.txt\n`,
    });
    const refused = await cli.run('build', '--network', 'none', '-t', 'private:1', dir);
    expect(refused.code).toBe(1);
    expect(withoutNotice(refused)).toMatch(/unauthorized|authentication required|no basic auth/i);
    const { username, password } = guarded.credentials ?? { username: '', password: '' };
    const config = join(home, topologyName, 'logged-in');
    const auth = Buffer.from(`${username}:${password}`).toString('base64');
    await writeContext(config, {
      'config.json': JSON.stringify({ auths: { [guarded.host]: { auth } } }),
    });
    const loggedIn = dockerCli(stevedore.url, config);
    const result = await loggedIn.run('build', '--network', 'none', '-t', 'private:1', dir);
    expect({ code: result.code, stderr: withoutNotice(result) }).toEqual({ code: 0, stderr: '' });
    expect(await run('private:1', 'cat', '/from.txt')).toBe('private\n');
    const logs = [...stevedore.processes.values()].map((p) => p.stdout + p.stderr).join('');
    expect(logs).not.toContain(password);
    expect(logs).not.toContain(auth);
  }, 180_000);

  describe('bad input, in Docker’s words', () => {
    it.each([
      [
        'unknownInstruction',
        [],
        'Error response from daemon: dockerfile parse error line 1: unknown instruction: FROMM\n',
      ],
      ['outsideContext', [], 'COPY failed: forbidden path outside the build context: ../x ()\n'],
      ['stageOutOfBounds', [], 'invalid from flag value 5: index out of bounds\n'],
      [
        'multiStage',
        ['--target', 'nosuch'],
        'Error response from daemon: failed to reach build target nosuch in Dockerfile\n',
      ],
    ] as const)(
      '%s %j',
      async (name, args, stderr) => {
        const result = await build(name, ...args, '-t', 'refused');
        expect({ code: result.code, stderr: withoutNotice(result) }).toEqual({ code: 1, stderr });
        expect(await cli.ok('images', '-q', 'refused')).toBe('');
        await noContainers();
      },
      60_000,
    );

    it('a context without a Dockerfile (the CLI checks first, so through the API)', async () => {
      const dir = await writeContext(dirOf('noDockerfile'), contexts.noDockerfile);
      const tar = await runTar(dir);
      const res = await fetch(`${stevedore.url}/v1.41/build?t=refused`, {
        method: 'POST',
        body: tar,
        headers: { 'content-type': 'application/x-tar' },
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(await res.json()).toEqual({
        message: 'Cannot locate specified Dockerfile: Dockerfile',
      });
    });

    it('BuildKit (version=2) and a bad build-arg JSON are refused before anything runs', async () => {
      const post = (query: string) =>
        fetch(`${stevedore.url}/v1.41/build?${query}`, {
          method: 'POST',
          body: Buffer.alloc(1024),
        });
      const buildkit = await post('version=2');
      expect([buildkit.status, await buildkit.json()]).toEqual([
        400,
        { message: 'buildkit is not enabled on daemon' },
      ]);
      const args = await post('buildargs=%5B%5D');
      expect([args.status, await args.json()]).toEqual([
        400,
        {
          message:
            'error reading build args: json: cannot unmarshal array into Go value of type map[string]*string',
        },
      ]);
    });
  });
});

/** runTar is the context as the CLI sends it: a plain tar of the directory. */
async function runTar(dir: string): Promise<Buffer> {
  const result = await runCommand('/bin/sh', ['-c', `tar -C '${dir}' -cf - . | base64 -w0`], {});
  return Buffer.from(result.stdout, 'base64');
}
