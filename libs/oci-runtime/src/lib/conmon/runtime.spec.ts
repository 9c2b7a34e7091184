import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConmonRuntime, type ContainerSpecInput, type CreateOptions } from '../../index';
import {
  asRoot,
  Collect,
  input,
  makeBusyboxRoot,
  tempDir,
  until,
  writeBundle,
} from '../../test/busybox';

const rootOnly = asRoot ? describe : describe.skip;

rootOnly(`ConmonRuntime with real runc and conmon${asRoot ? '' : ' (skipped: needs root)'}`, () => {
  let dir: string;
  let rootfs: string;
  let runtime: ConmonRuntime;
  const ids: string[] = [];
  let n = 0;

  beforeAll(() => {
    dir = tempDir('rt-');
    rootfs = makeBusyboxRoot(dir);
    runtime = new ConmonRuntime({ stateRoot: join(dir, 'state') });
  });

  afterAll(async () => {
    for (const id of ids) await runtime.delete(id, { force: true }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  /** container writes a bundle and creates the container; the caller starts it. */
  async function container(
    args: string[],
    extra: Partial<ContainerSpecInput> = {},
    opts: Partial<CreateOptions> = {},
  ): Promise<CreateOptions> {
    const id = `r1test${process.pid}x${n++}`;
    ids.push(id);
    const bundle = join(dir, id);
    mkdirSync(bundle);
    await writeBundle(bundle, {
      id,
      rootfs,
      args,
      hostname: 'box',
      network: { mode: 'none' },
      ...extra,
    });
    const create: CreateOptions = {
      id,
      bundle,
      logPath: join(bundle, 'ctr.log'),
      exitDir: join(dir, 'exits'),
      tty: extra.tty ?? false,
      openStdin: extra.openStdin ?? false,
      ...opts,
    };
    await runtime.create(create);
    return create;
  }

  async function logText(
    logPath: string,
  ): Promise<{ stdout: string; stderr: string; stamps: string[] }> {
    const out = { stdout: '', stderr: '', stamps: [] as string[] };
    for await (const e of runtime.readLogs(logPath)) {
      out[e.stream] += e.data.toString();
      out.stamps.push(e.timestamp);
    }
    return out;
  }

  it('creates, starts and reports the exit code; stdout and stderr land in the log with timestamps', async () => {
    const c = await container(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect((await runtime.state(c.id))?.status).toBe('created');
    await runtime.start(c.id);
    expect(await runtime.waitExit(c.id)).toBe(3);
    expect(await runtime.exitCode(c.id)).toBe(3);
    expect((await runtime.state(c.id))?.status).toBe('stopped');
    const logs = await logText(c.logPath);
    expect(logs.stdout).toBe('out\n');
    expect(logs.stderr).toBe('err\n');
    expect(logs.stamps[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  it("refuses a command not found in the image with runc's message and Docker's exit code", async () => {
    const err = await container(['nope']).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { exitCode: 127 },
      message: expect.stringContaining('exec: "nope": executable file not found in $PATH'),
    });
    expect((err as Error).message).toMatch(/^OCI runtime create failed: .*: unknown$/);
  });

  it('attaches without a TTY: stdin echoed through cat, stdout and stderr kept apart', async () => {
    const c = await container(
      ['sh', '-c', 'cat; echo bye >&2'],
      { openStdin: true },
      { stdinOnce: true },
    );
    const stdin = input();
    const stdout = new Collect();
    const stderr = new Collect();
    const handle = await runtime.attach(c.id, { stdin, stdout, stderr });
    await handle.ready;
    await runtime.start(c.id);
    stdin.write('hello\n');
    await until(() => stdout.text === 'hello\n');
    stdin.end();
    await handle.done;
    expect(await runtime.waitExit(c.id)).toBe(0);
    expect(stdout.text).toBe('hello\n');
    expect(stderr.text).toBe('bye\n');
  });

  it('attaches with a TTY, and a resize is what stty size sees', async () => {
    const c = await container(['sh'], { tty: true, openStdin: true });
    const stdin = input();
    const stdout = new Collect();
    const handle = await runtime.attach(c.id, { stdin, stdout, stderr: new Collect() });
    await handle.ready;
    await runtime.start(c.id);
    await runtime.resize(c.id, { height: 33, width: 101 });
    await new Promise((r) => setTimeout(r, 200));
    stdin.write('stty size; exit 7\n');
    await handle.done;
    expect(await runtime.waitExit(c.id)).toBe(7);
    expect(stdout.text).toContain('33 101');
  });

  it('execs with output, exit code and the exec user; a missing binary fails as dockerd does', async () => {
    const c = await container(['sleep', '300']);
    await runtime.start(c.id);
    const stdout = new Collect();
    const stderr = new Collect();
    const s = await runtime.exec(
      c.id,
      { args: ['sh', '-c', 'id -u; echo e >&2; exit 4'], user: 'app' },
      { stdout, stderr },
    );
    expect(await s.exitCode()).toBe(4);
    await s.attached?.done;
    expect(stdout.text).toBe('1000\n');
    expect(stderr.text).toBe('e\n');
    const err = await runtime
      .exec(c.id, { args: ['nope'] }, { stdout, stderr })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ details: { exitCode: 126 } });
    expect((err as Error).message).toBe(
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown',
    );
  });

  it('kills with SIGTERM and SIGKILL, by name or number', async () => {
    const trap = await container([
      'sh',
      '-c',
      'trap "exit 42" TERM; while true; do sleep 0.1; done',
    ]);
    await runtime.start(trap.id);
    await new Promise((r) => setTimeout(r, 300));
    await runtime.kill(trap.id, 'TERM');
    expect(await runtime.waitExit(trap.id)).toBe(42);
    const sleeper = await container(['sleep', '300']);
    await runtime.start(sleeper.id);
    await runtime.kill(sleeper.id, 9);
    expect(await runtime.waitExit(sleeper.id)).toBe(137);
    await expect(runtime.kill(sleeper.id, 'NOPE')).rejects.toMatchObject({
      message: 'Invalid signal: NOPE',
    });
  });

  it('lists the container processes like docker top', async () => {
    const c = await container(['sleep', '301']);
    await runtime.start(c.id);
    const top = await runtime.top(c.id);
    expect(top.Titles).toContain('PID');
    expect(top.Processes.map((p) => p[p.length - 1])).toEqual(['sleep 301']);
  });

  it('keeps a container running after the Node process that started it dies', async () => {
    const id = `r1test${process.pid}orphan`;
    ids.push(id);
    const bundle = join(dir, id);
    mkdirSync(bundle);
    await writeBundle(bundle, {
      id,
      rootfs,
      args: ['sh'],
      hostname: 'box',
      network: { mode: 'none' },
      tty: true,
      openStdin: true,
    });
    const workspace = join(__dirname, '../../../../..');
    const child = spawnSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        join(__dirname, '../../test/create-and-start.ts'),
        dir,
        id,
        bundle,
      ],
      {
        encoding: 'utf8',
        timeout: 30_000,
        cwd: workspace,
        env: { ...process.env, SWC_NODE_PROJECT: join(workspace, 'tsconfig.base.json') },
      },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect((await runtime.state(id))?.status).toBe('running');
    const stdin = input();
    const stdout = new Collect();
    const handle = await runtime.attach(id, { stdin, stdout, stderr: new Collect() });
    await handle.ready;
    stdin.write('echo still-$((40+2))\n');
    await until(() => stdout.text.includes('still-42'));
    handle.detach();
    await handle.done;
    expect((await runtime.state(id))?.status).toBe('running');
  });
});
