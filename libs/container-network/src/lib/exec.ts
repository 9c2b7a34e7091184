import { spawn } from 'node:child_process';

/** RunResult is how an external command ended. */
export interface RunResult {
  readonly ok: boolean;
  /** ENOENT: the program is not installed. */
  readonly missing: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** RunOptions feed a command its stdin and extra environment. */
export interface RunOptions {
  readonly stdin?: string;
  readonly env?: Record<string, string>;
  readonly timeoutMs?: number;
}

/**
 * run executes `program args` without a shell and reports the outcome instead of throwing, so the
 * caller decides what a refusal means. Output is small here (CNI results, iptables listings).
 */
export function run(
  program: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(program, [...args], {
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let missing = false;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      missing = e.code === 'ENOENT';
    });
    // A plugin that exits before reading stdin makes the write fail with EPIPE; the exit status tells.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8').trim();
      resolve({ ok: code === 0 && !missing, missing, stdout, stderr });
    });
  });
}

/** isRoot tells whether this process may create namespaces, bridges and iptables rules. */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
