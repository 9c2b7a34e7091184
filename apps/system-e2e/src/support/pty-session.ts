import { spawn } from 'node:child_process';

/** PtyResult is how an interactive command ended: its exit code and everything the terminal showed. */
export interface PtyResult {
  code: number;
  output: string;
}

/**
 * runInPty runs `command` (a shell line) in a pseudo-terminal made by util-linux `script`, as a user
 * at a terminal would: each line of `lines` is typed once the terminal shows `prompt` again. It
 * resolves when the command exits (`script -e` passes its exit code on).
 */
export function runInPty(
  command: string,
  lines: readonly string[],
  env: Record<string, string>,
  prompt: RegExp,
  timeoutMs = 60_000,
): Promise<PtyResult> {
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { ...env, TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let typed = 0;
  let seen = 0;
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    // Type the next line after each new prompt (counted, so one prompt gets one line).
    const prompts = output.match(new RegExp(prompt.source, 'g'))?.length ?? 0;
    while (prompts > seen && typed < lines.length) {
      seen += 1;
      child.stdin.write(`${lines[typed]}\n`);
      typed += 1;
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not finish in ${timeoutMs} ms; it showed:\n${output}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}
