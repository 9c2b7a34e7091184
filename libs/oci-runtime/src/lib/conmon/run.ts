import { execFile } from 'node:child_process';

/** RunOutput is how an external command ended. */
export interface RunOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** run executes a program without a shell and reports its status instead of throwing. */
export function run(
  program: string,
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      [...args],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
        if (e && typeof e.code === 'string') return reject(e);
        const code = e ? (typeof e.code === 'number' ? e.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/**
 * runtimeMessage extracts what runc said from its logrus line
 * (`time="…" level=error msg="runc create failed: …"`), unquoting Go's escapes; other text is
 * returned trimmed.
 */
export function runtimeMessage(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const msgs = lines
    .map((l) => /(?:^|\s)msg="((?:[^"\\]|\\.)*)"/.exec(l)?.[1])
    .filter((m): m is string => m !== undefined)
    .map((m) => m.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)));
  return (msgs.length > 0 ? msgs[msgs.length - 1] : lines.join('\n'))?.trim() ?? '';
}
