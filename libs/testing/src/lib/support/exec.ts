import { spawn } from 'node:child_process';
import { trackChild } from './lifecycle';

/** ExecResult is what a finished command printed. */
export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** ExecOptions tunes {@link execTool}; `redact` strings are masked in error messages (passwords). */
export interface ExecOptions {
  redact?: string[];
  timeoutMs?: number;
}

function mask(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length > 0).reduce((acc, s) => acc.split(s).join('***'), text);
}

/**
 * execTool runs `file args` without a shell and resolves with its output when it exits 0; it rejects
 * with the command line and stderr (secrets masked) otherwise, or when it exceeds `timeoutMs`.
 */
export function execTool(
  file: string,
  args: string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  const secrets = opts.redact ?? [];
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${file}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ stdout, stderr });
      const cmd = mask([file, ...args].join(' '), secrets);
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      reject(new Error(`${cmd} failed (${why}): ${mask(stderr.trim(), secrets)}`));
    });
  });
}
