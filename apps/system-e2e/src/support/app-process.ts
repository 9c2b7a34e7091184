import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** APPS are the seven services, each built to `dist/apps/<app>/main.js`. */
export const APPS = [
  'gateway',
  'resolver',
  'fetcher',
  'blobstore',
  'metadata',
  'exporter',
  'runtime',
] as const;

/** AppName is one of {@link APPS}. */
export type AppName = (typeof APPS)[number];

/** ProcessName is a service, or `stevedore`: the embedded topology (all services in one process). */
export type ProcessName = AppName | 'stevedore';

/** Exit is how a process ended: its exit code, or the signal that killed it. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const WORKSPACE_ROOT = resolve(__dirname, '../../../..');
const DEFAULT_TIMEOUT_MS = 20_000;
const running = new Set<ChildProcess>();

/**
 * mainOf returns the built entry point of `app` (under `dist`, another build's apps directory, when
 * given: a benchmark's baseline), failing with a hint when it was not built.
 */
export function mainOf(app: ProcessName, dist = resolve(WORKSPACE_ROOT, 'dist/apps')): string {
  const main = resolve(dist, app, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build ${app}\` first`);
  return main;
}

/**
 * AppProcess is a built app running as a child process, with its output collected so tests can
 * wait for a line and assert on everything it printed.
 */
export class AppProcess {
  private out = '';
  private err = '';
  private readonly exited: Promise<Exit>;

  constructor(
    readonly app: ProcessName,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.out += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.err += chunk));
    this.exited = new Promise((done) => {
      child.once('close', (code, signal) => {
        running.delete(child);
        done({ code, signal });
      });
    });
  }

  /** pid is the process id of the running app. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** stdout is everything the app printed to stdout so far. */
  get stdout(): string {
    return this.out;
  }

  /** stderr is everything the app printed to stderr so far. */
  get stderr(): string {
    return this.err;
  }

  /** waitForOutput resolves with the first match of `pattern` in stdout+stderr, or rejects on exit or timeout. */
  async waitForOutput(pattern: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = (this.out + this.err).match(pattern);
      if (match !== null) return match;
      if (!running.has(this.child))
        throw new Error(`${this.app} exited before printing ${pattern}:\n${this.out}${this.err}`);
      if (Date.now() > deadline)
        throw new Error(
          `${this.app} did not print ${pattern} in ${timeoutMs} ms:\n${this.out}${this.err}`,
        );
      await new Promise((wake) => setTimeout(wake, 50));
    }
  }

  /** waitForExit resolves when the process has ended, rejecting if it is still running after the timeout. */
  waitForExit(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(
        () => fail(new Error(`${this.app} still running after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    return Promise.race([this.exited, timeout]).finally(() => clearTimeout(timer));
  }

  /** stop sends `signal` (SIGTERM by default) and waits for the process to end. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    this.child.kill(signal);
    return this.waitForExit();
  }
}

/**
 * startApp runs the built `app` with only `env` (plus PATH) in its environment, so variables of the
 * test runner's own environment cannot change what the app sees.
 */
export function startApp(app: ProcessName, env: Record<string, string>, dist?: string): AppProcess {
  // E2E_NODE_ARGS passes flags Node refuses in NODE_OPTIONS, e.g. `--cpu-prof --cpu-prof-dir=…`
  // to profile every process of a benchmark.
  const extra = process.env['E2E_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extra, mainOf(app, dist)], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  return new AppProcess(app, child);
}

/** killAllApps kills every app still running; call it in afterAll so no test leaves a process behind. */
export async function killAllApps(): Promise<void> {
  const closing = [...running].map((child) => new Promise((done) => child.once('close', done)));
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(closing);
}

/** CommandResult is the outcome of a finished command. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** runCommand runs `file` with `args` and `env` to completion (or timeout) and returns its exit code and output. */
export function runCommand(
  file: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<CommandResult> {
  return new Promise((done) => {
    execFile(file, args, { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}
