import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { DomainError } from '@stevedore/domain';
import { BRIDGE_SCRIPT } from './bridge-script';

/** Where an attach reads input from and writes output to. */
export interface AttachStreams {
  stdin?: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** An attach in progress: detach() leaves the container running; done settles when it ends. */
export interface AttachHandle {
  detach(): void;
  done: Promise<void>;
  /** Resolves once connected: output from then on reaches the streams. */
  ready: Promise<void>;
}

const STDOUT = 2;
const STDERR = 3;

/** FrameDecoder splits the bridge's [id][len32][payload] frames, whatever the chunking. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 5) {
      const len = this.pending.readUInt32BE(1);
      if (this.pending.length < 5 + len) return;
      this.onFrame(this.pending[0] as number, this.pending.subarray(5, 5 + len));
      this.pending = this.pending.subarray(5 + len);
    }
  }
}

/** BridgeState is what the close handler needs to tell a detach or clean end from a failure. */
interface BridgeState {
  stderr: string;
  detached: boolean;
  onReady: () => void;
}

function whenClosed(child: ChildProcessWithoutNullStreams, io: AttachStreams, state: BridgeState) {
  return new Promise<void>((resolve, reject) => {
    child.on('error', (err) =>
      reject(new DomainError('UNAVAILABLE', `attach bridge: ${err.message}`)),
    );
    child.on('close', (code) => {
      io.stdin?.unpipe(child.stdin);
      state.onReady();
      if (code === 0 || state.detached) return resolve();
      const why = state.stderr.trim() || `bridge exit ${code}`;
      reject(new DomainError('UNAVAILABLE', `attach failed: ${why}`));
    });
  });
}

/**
 * attachSocket connects to a conmon attach socket through the python bridge. Output goes to
 * stdout/stderr by conmon's stream id (a TTY's output is all stdout); stdin, when given, is
 * forwarded and its end closes the container's input unless conmon keeps it open.
 */
export function attachSocket(
  socketPath: string,
  io: AttachStreams,
  python = 'python3',
): AttachHandle {
  const args = ['-c', BRIDGE_SCRIPT, socketPath, ...(io.stdin ? ['stdin'] : [])];
  const child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const state: BridgeState = { stderr: '', detached: false, onReady: () => undefined };
  child.stderr.setEncoding('utf8').on('data', (c: string) => (state.stderr += c));
  const ready = new Promise<void>((resolve) => (state.onReady = resolve));
  const decoder = new FrameDecoder((id, payload) => {
    if (id === 0) state.onReady();
    else if (id === STDERR) io.stderr.write(payload);
    else if (id === STDOUT) io.stdout.write(payload);
  });
  child.stdout.on('data', (c: Buffer) => decoder.push(c));
  if (io.stdin) io.stdin.pipe(child.stdin);
  else child.stdin.end();
  // A container that exits closes the socket; a broken bridge stdin must not crash the caller.
  child.stdin.on('error', () => undefined);
  const done = whenClosed(child, io, state);
  const detach = () => {
    state.detached = true;
    child.kill('SIGTERM');
  };
  return { detach, done, ready };
}
