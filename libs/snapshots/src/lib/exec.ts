import { execFile } from 'node:child_process';

/** RunResult is how an external command ended: its exit status and what it said on stderr. */
export interface RunResult {
  readonly ok: boolean;
  /** ENOENT when the program is not installed. */
  readonly missing: boolean;
  readonly stderr: string;
}

/**
 * run executes `program args` without a shell and reports the outcome instead of throwing, so the
 * caller decides what a refusal means (a fallback, or a clear error in Docker's words).
 */
export function run(program: string, args: readonly string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(program, [...args], { timeout: 60_000 }, (err, _stdout, stderr) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      resolve({ ok: err === null, missing: code === 'ENOENT', stderr: String(stderr).trim() });
    });
  });
}

/** isRoot tells whether this process may mknod, chown and mount. */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
