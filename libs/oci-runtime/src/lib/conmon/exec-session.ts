import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import { resolveCapabilities } from '../spec/capabilities';
import { buildEnv } from '../spec/env';
import type { OciProcess, OciSpec } from '../spec/types';
import { resolveUser } from '../spec/user';
import { attachSocket, type AttachHandle, type AttachStreams } from './attach';
import { ociRuntimeError } from './errors';
import { failedToLaunch, launchConmon, type ConmonLaunch } from './launch';
import type { Runc } from './runc';
import { runtimeMessage } from './run';
import { readExitFile, waitExitFile } from './wait-exit';
import { writeCtl } from './ctl';

/** What `docker exec` asks for. */
export interface ExecOptions {
  args: string[];
  env?: string[];
  cwd?: string;
  user?: string;
  tty?: boolean;
  openStdin?: boolean;
  privileged?: boolean;
  /** Defaults to 32 random hex digits. */
  execId?: string;
}

/** A started exec: its process, its attach (when streams were given) and its exit status. */
export interface ExecSession {
  id: string;
  pid: number;
  attached?: AttachHandle;
  attach(io: AttachStreams): AttachHandle;
  resize(size: { height: number; width: number }): Promise<void>;
  /** Resolves with the exit status (from conmon's exit file, so also after a restart). */
  exitCode(): Promise<number>;
  /** The status now, or undefined while the process runs. */
  peekExitCode(): Promise<number | undefined>;
}

export interface ExecContext {
  conmon: string;
  runc: Runc;
  python: string;
  dir: string;
  containerId: string;
  bundle: string;
}

/** execProcess derives the exec's process from the container's, as dockerd does. */
async function execProcess(bundle: string, o: ExecOptions): Promise<OciProcess> {
  const spec = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as OciSpec;
  const base = spec.process;
  const tty = o.tty ?? false;
  const user = o.user ? await resolveUser(spec.root.path, o.user) : base.user;
  const caps = o.privileged ? resolveCapabilities([], [], true) : base.capabilities.bounding;
  const env = buildEnv([...base.env, ...(o.env ?? [])], { hostname: spec.hostname, tty });
  return {
    ...base,
    terminal: tty,
    args: [...o.args],
    env,
    cwd: o.cwd || base.cwd,
    user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
    capabilities: { bounding: caps, effective: caps, permitted: caps },
  };
}

function conmonExecArgs(
  ctx: ExecContext,
  dir: string,
  execId: string,
  o: ExecOptions,
  attach: boolean,
): string[] {
  return [
    ...['--api-version', '1', '-c', ctx.containerId, '-u', execId, '-n', ctx.containerId],
    ...['-r', ctx.runc.path, '-b', dir, '-p', join(dir, 'pid'), '--runtime-arg', ctx.runc.rootArg],
    ...['--exit-dir', dir, '--full-attach', '--socket-dir-path', dir],
    ...['-l', `k8s-file:${join(dir, 'exec.log')}`, '--conmon-pidfile', join(dir, 'conmon.pid')],
    ...['--exec', '--exec-process-spec', join(dir, 'process.json'), '--log-level', 'error'],
    ...(attach ? ['--exec-attach'] : []),
    ...(o.tty ? ['-t'] : []),
    ...(o.openStdin ? ['-i'] : []),
  ];
}

/** connect attaches the caller's streams before letting conmon run `runc exec`, so no output is lost. */
async function connect(
  launch: ConmonLaunch,
  dir: string,
  io: AttachStreams,
  python: string,
): Promise<AttachHandle> {
  const ready = await launch.attachPipe?.next();
  launch.attachPipe?.close();
  if (ready === undefined) throw await failedToLaunch(launch);
  const handle = attachSocket(join(dir, 'attach'), io, python);
  await handle.ready;
  launch.startPipe?.end('1');
  return handle;
}

/**
 * startExec runs a process in a running container under its own conmon (`conmon --exec`).
 * A command runc cannot start is an error carrying runc's text and Docker's exit code (126).
 */
export async function startExec(
  ctx: ExecContext,
  o: ExecOptions,
  io?: AttachStreams,
): Promise<ExecSession> {
  if (o.args.length === 0) throw DomainError.invalidArgument('No exec command specified');
  const execId = o.execId ?? randomBytes(16).toString('hex');
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(execId))
    throw DomainError.invalidArgument(`invalid exec id ${execId}`);
  const dir = join(ctx.dir, execId);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'process.json'), JSON.stringify(await execProcess(ctx.bundle, o)));
  const launch = launchConmon(
    ctx.conmon,
    conmonExecArgs(ctx, dir, execId, o, io !== undefined),
    io !== undefined,
  );
  const attached = io ? await connect(launch, dir, io, ctx.python) : undefined;
  const msg = await launch.sync.next();
  launch.sync.close();
  if (msg === undefined || msg.data < 0) {
    attached?.detach();
    if (msg === undefined) throw await failedToLaunch(launch);
    throw ociRuntimeError('exec', runtimeMessage(msg.message ?? ''));
  }
  const conmonPid = Number((await readFile(join(dir, 'conmon.pid'), 'utf8')).trim());
  return session(ctx, dir, execId, msg.data, conmonPid, attached);
}

function session(
  ctx: ExecContext,
  dir: string,
  id: string,
  pid: number,
  conmonPid: number,
  attached?: AttachHandle,
): ExecSession {
  return {
    id,
    pid,
    attached,
    attach: (io) => attachSocket(join(dir, 'attach'), io, ctx.python),
    resize: (size) => writeCtl(join(dir, 'ctl'), size),
    exitCode: () => waitExitFile(dir, ctx.containerId, conmonPid),
    peekExitCode: () => readExitFile(dir, ctx.containerId),
  };
}

/** removeExecSessions drops the exec directories of a container being deleted. */
export async function removeExecSessions(stateRoot: string, containerId: string): Promise<void> {
  await rm(join(stateRoot, 'exec', containerId), { recursive: true, force: true });
}
