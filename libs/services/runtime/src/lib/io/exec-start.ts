import { Logger } from '@nestjs/common';
import { DomainError } from '@stevedore/domain';
import type { AttachStreams, ConmonRuntime, ExecSession } from '@stevedore/oci-runtime';
import type { ExecStartOptions, Session } from '@stevedore/runtime-http';
import type { Duplex } from 'node:stream';
import { ClientConn } from './client-conn';
import { parseDetachKeys } from './detach-keys';
import type { ExecRecord } from './exec-store';
import { STDOUT, muxFrame, outputStreams } from './stdcopy';

const logger = new Logger('ExecStart');

/**
 * startExecProcess runs an exec's process (attached to `io` when given) and records its pid; a
 * start that fails records dockerd's exit code (126) and rethrows.
 */
export async function startExecProcess(
  runtime: ConmonRuntime,
  exec: ExecRecord,
  io?: AttachStreams,
): Promise<ExecSession> {
  let session: ExecSession;
  try {
    session = await runtime.exec(
      exec.containerId,
      {
        args: exec.cmd,
        env: exec.env,
        cwd: exec.workingDir,
        user: exec.user,
        tty: exec.tty,
        openStdin: exec.attachStdin && io?.stdin !== undefined,
        privileged: exec.privileged,
        // conmon's exec directory is named by this; 32 hex digits keep its socket path short.
        execId: exec.id.slice(0, 32),
      },
      io,
    );
  } catch (err) {
    exec.exitCode = exitCodeOf(err);
    throw err;
  }
  Object.assign(exec, { session, pid: session.pid, running: true });
  if (exec.consoleSize) {
    const [height, width] = exec.consoleSize;
    await session.resize({ height, width }).catch(() => undefined);
  }
  return session;
}

/** recordExit waits for the exec's exit status and records it (-1 when it cannot be read). */
export async function recordExit(exec: ExecRecord, session: ExecSession): Promise<void> {
  const code = await session.exitCode().catch((err: unknown) => {
    logger.warn(`exit status of exec ${exec.id}: ${String(err)}`);
    return -1;
  });
  Object.assign(exec, { exitCode: code, running: false, session: undefined });
}

function exitCodeOf(err: unknown): number {
  const code = err instanceof DomainError ? err.details?.['exitCode'] : undefined;
  return typeof code === 'number' ? code : 126;
}

function messageOf(err: unknown): string {
  const docker = err instanceof DomainError ? err.details?.['dockerMessage'] : undefined;
  if (typeof docker === 'string') return docker;
  return err instanceof Error ? err.message : String(err);
}

/**
 * execStartSession is `POST /exec/{id}/start` attached: the process starts once the client is
 * connected, its streams wired before runc runs it. A process that cannot start is reported as
 * dockerd 20.10 does after its hijack: the error text and `\r\n` on the stdout stream, exit code
 * 126 for `docker exec` to read back. The session ends (after the exit code is recorded) when
 * the process exits, the client leaves, or types the detach keys (the process keeps running).
 */
export function execStartSession(
  runtime: ConmonRuntime,
  exec: ExecRecord,
  options: ExecStartOptions,
): Session {
  const keys = parseDetachKeys(exec.detachKeys);
  const run = async (conn: Duplex): Promise<void> => {
    const client = new ClientConn(conn);
    try {
      await runAttached(runtime, exec, options.tty, client, keys);
    } finally {
      await client.finish();
    }
  };
  return { tty: options.tty, run };
}

async function runAttached(
  runtime: ConmonRuntime,
  exec: ExecRecord,
  tty: boolean,
  client: ClientConn,
  keys: Buffer,
): Promise<void> {
  const out = outputStreams(client, tty, {
    stdout: exec.attachStdout,
    stderr: exec.attachStderr,
  });
  const stdin = exec.attachStdin ? client.input(keys, !exec.tty) : undefined;
  if (!stdin) client.discardInput();
  let session: ExecSession;
  try {
    session = await startExecProcess(runtime, exec, { ...out, ...(stdin ? { stdin } : {}) });
  } catch (err) {
    const text = Buffer.from(`${messageOf(err)}\r\n`);
    client.write(tty ? text : muxFrame(STDOUT, text));
    return;
  }
  const handle = session.attached;
  const exited = (handle?.done ?? session.exitCode()).then(
    () => true,
    () => true,
  );
  const left = Promise.race([client.gone, client.detached]).then(() => false);
  if (await Promise.race([exited, left])) return recordExit(exec, session);
  handle?.detach();
  void recordExit(exec, session);
}
