import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The guarded child: a real process, so an escaped error would really end it. */
function startGuarded(): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const script = join(__dirname, '../../test/guarded-server.ts');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SWC_NODE_PROJECT: join(__dirname, '../../../tsconfig.spec.json') },
  });
  let text = '';
  const output = () => text;
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const port = /listening (\d+)/.exec(text)?.[1];
      if (port) resolve({ child, base: `http://127.0.0.1:${port}`, output });
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`guarded child exited ${code}: ${text}`)));
  });
}

describe('installProcessGuard (a real child process)', () => {
  let guarded: Awaited<ReturnType<typeof startGuarded>>;
  beforeAll(async () => {
    guarded = await startGuarded();
  }, 30_000);
  afterAll(() => {
    guarded?.child.kill('SIGKILL');
  });

  it('keeps serving after errors escape every handler, logging them without secrets and counting them', async () => {
    expect(await (await fetch(`${guarded.base}/throw`)).text()).toBe('thrown later');
    expect(await (await fetch(`${guarded.base}/reject`)).text()).toBe('rejected later');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await (await fetch(`${guarded.base}/ok`)).text()).toBe('OK');
    expect(guarded.child.exitCode).toBeNull();
    const metrics = await (await fetch(`${guarded.base}/metrics`)).text();
    expect(metrics).toContain('stevedore_escaped_errors_total{kind="uncaughtException"} 1');
    expect(metrics).toContain('stevedore_escaped_errors_total{kind="unhandledRejection"} 1');
    expect(guarded.output()).toMatch(/escaped from https:\/\/\*\*\*@registry\.test/);
    expect(guarded.output()).not.toMatch(/hunter2|dXNlcjpodW50ZXIy/);
  });
});
