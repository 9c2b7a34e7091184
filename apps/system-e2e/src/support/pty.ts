import { spawn } from 'node:child_process';

/** One step of a terminal session: wait `afterMs`, then type `input` (or send `signal`). */
export interface PtyStep {
  afterMs: number;
  input?: string;
}

/** PtyResult is how a command run in a pseudo-terminal ended and everything it printed. */
export interface PtyResult {
  code: number | null;
  output: string;
}

// Python's pty module gives the command a real terminal (as a user's shell would); the steps are
// typed with their delays, and the output is read until the command exits or the deadline passes.
const PTY_SCRIPT = String.raw`
import json, os, pty, select, sys, time, signal
steps = json.loads(sys.argv[1]); deadline = time.time() + float(sys.argv[2]); cmd = sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out = b''
def pump(until):
    global out
    while time.time() < until:
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r: continue
        try: d = os.read(fd, 65536)
        except OSError: return False
        if not d: return False
        out += d
    return True
alive = True
for step in steps:
    if alive: alive = pump(time.time() + step['afterMs'] / 1000.0)
    if alive: os.write(fd, step['input'].encode('latin1'))
while time.time() < deadline:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done: break
    pump(time.time() + 0.1)
else:
    os.kill(pid, signal.SIGKILL); done, status = os.waitpid(pid, 0)
pump(time.time() + 0.1)
sys.stdout.write(json.dumps({'code': os.waitstatus_to_exitcode(status), 'output': out.decode('utf-8', 'replace')}))
`;

/** runInPty runs `argv` in a pseudo-terminal, typing `steps`; killed after `timeoutMs` (code -9). */
export function runInPty(
  argv: readonly string[],
  steps: readonly PtyStep[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    const args = ['-c', PTY_SCRIPT, JSON.stringify(steps), String(timeoutMs / 1000), ...argv];
    const child = spawn('python3', args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (text += c));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(text) as PtyResult);
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** runWithInput runs `file` with `input` on its stdin and returns its exit code and output. */
export function runWithInput(
  file: string,
  args: readonly string[],
  input: string | Buffer,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, timeout: timeoutMs });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
    child.stdin.end(input);
  });
}
