import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import { attachSocket, type AttachHandle, type AttachStreams } from './attach';
import { ociRuntimeError } from './errors';
import { writeCtl } from './ctl';
import { removeExecSessions, startExec, type ExecOptions, type ExecSession } from './exec-session';
import { failedToLaunch, launchConmon } from './launch';
import { readLogs, type LogEntry, type ReadLogsOptions } from './logs';
import { checkId, RecordStore } from './records';
import { Runc, type ContainerState } from './runc';
import { runtimeMessage } from './run';
import { parseSignal } from './signals';
import { psTop, type TopResult } from './top';
import { readExitFile, waitExitFile } from './wait-exit';

export interface ConmonRuntimeOptions {
  /** Directory the driver owns: runc's state root (`runc/`), records, exec sessions. */
  stateRoot: string;
  conmonPath?: string;
  runcPath?: string;
  pythonPath?: string;
}

export interface CreateOptions {
  id: string;
  /** Directory holding config.json; conmon also puts its attach socket and ctl/winsz fifos here. */
  bundle: string;
  logPath: string;
  exitDir: string;
  tty: boolean;
  openStdin: boolean;
  /** Docker's StdinOnce: the container's stdin closes when the first attached client's ends. */
  stdinOnce?: boolean;
}

/**
 * ConmonRuntime runs containers with runc under conmon, so each container's stdio, log, pty and
 * exit status belong to its own monitor process and survive a restart of Stevedore. Everything it
 * needs later is in files (runc state, conmon's exit file, a small record), never in memory.
 */
export class ConmonRuntime {
  readonly runc: Runc;
  private readonly records: RecordStore;
  private readonly conmonPath: string;
  private readonly python: string;

  constructor(private readonly opts: ConmonRuntimeOptions) {
    this.runc = new Runc(opts.runcPath ?? '/usr/sbin/runc', join(opts.stateRoot, 'runc'));
    this.records = new RecordStore(opts.stateRoot);
    this.conmonPath = opts.conmonPath ?? '/usr/bin/conmon';
    this.python = opts.pythonPath ?? 'python3';
  }

  /** create makes the container (runc state `created`) under a daemonized conmon; returns init's pid. */
  async create(o: CreateOptions): Promise<{ pid: number }> {
    checkId(o.id);
    await mkdir(o.exitDir, { recursive: true });
    await mkdir(this.runc.root, { recursive: true });
    const conmonPidFile = join(o.bundle, 'conmon.pid');
    const launch = launchConmon(this.conmonPath, this.conmonArgs(o, conmonPidFile), false);
    const msg = await launch.sync.next();
    launch.sync.close();
    if (msg === undefined) throw await failedToLaunch(launch);
    if (msg.data < 0) throw ociRuntimeError('create', runtimeMessage(msg.message ?? ''));
    await launch.parentExit;
    const conmonPid = Number((await readSmall(conmonPidFile)).trim());
    await this.records.put({
      id: o.id,
      bundle: o.bundle,
      logPath: o.logPath,
      exitDir: o.exitDir,
      tty: o.tty,
      conmonPid,
    });
    return { pid: msg.data };
  }

  private conmonArgs(o: CreateOptions, conmonPidFile: string): string[] {
    return [
      ...['--api-version', '1', '-c', o.id, '-u', o.id, '-n', o.id],
      ...['-r', this.runc.path, '-b', o.bundle, '-p', join(o.bundle, 'pidfile')],
      ...['--runtime-arg', this.runc.rootArg, '--exit-dir', o.exitDir, '--full-attach'],
      ...['--socket-dir-path', o.bundle, '-l', `k8s-file:${o.logPath}`],
      ...['--conmon-pidfile', conmonPidFile, '--log-level', 'error'],
      ...(o.tty ? ['-t'] : []),
      ...(o.openStdin ? ['-i'] : []),
      // conmon closes the container's stdin when an attached client leaves, unless told not to;
      // Docker closes it only for StdinOnce, and never for a TTY.
      ...(o.openStdin && (o.tty || !o.stdinOnce) ? ['--leave-stdin-open'] : []),
    ];
  }

  async start(id: string): Promise<void> {
    checkId(id);
    await this.runc.start(id);
  }

  async state(id: string): Promise<ContainerState | undefined> {
    checkId(id);
    return this.runc.state(id);
  }

  /** kill sends a signal (`9`, `KILL`, `SIGKILL`) to the container's init. */
  async kill(id: string, signal: string | number = 'SIGKILL'): Promise<void> {
    checkId(id);
    await this.runc.kill(id, parseSignal(signal));
  }

  /** delete removes the container from runc (force kills it first) and forgets its record. */
  async delete(id: string, opts: { force?: boolean } = {}): Promise<void> {
    checkId(id);
    await this.runc.delete(id, opts.force ?? false).catch((e: unknown) => {
      if (!(opts.force && e instanceof DomainError && e.code === 'NOT_FOUND')) throw e;
    });
    await this.records.remove(id);
    await removeExecSessions(this.opts.stateRoot, id);
  }

  /** exitCode is the status conmon recorded, or undefined while the container has not exited. */
  async exitCode(id: string): Promise<number | undefined> {
    const r = await this.records.get(id);
    return readExitFile(r.exitDir, id);
  }

  /** waitExit resolves with the exit status, also for a container started by an earlier process. */
  async waitExit(id: string, signal?: AbortSignal): Promise<number> {
    const r = await this.records.get(id);
    return waitExitFile(r.exitDir, id, r.conmonPid, signal);
  }

  async attach(id: string, io: AttachStreams): Promise<AttachHandle> {
    const r = await this.records.get(id);
    return attachSocket(join(r.bundle, 'attach'), io, this.python);
  }

  /** resize sets the container's pty size through conmon's control fifo (`1 <h> <w>`). */
  async resize(id: string, size: { height: number; width: number }): Promise<void> {
    const r = await this.records.get(id);
    await writeCtl(join(r.bundle, 'ctl'), size);
  }

  async exec(id: string, opts: ExecOptions, io?: AttachStreams): Promise<ExecSession> {
    checkId(id);
    const r = await this.records.get(id);
    const dir = join(this.opts.stateRoot, 'exec', id);
    return startExec(
      {
        conmon: this.conmonPath,
        runc: this.runc,
        python: this.python,
        dir,
        containerId: id,
        bundle: r.bundle,
      },
      opts,
      io,
    );
  }

  readLogs(logPath: string, opts: ReadLogsOptions = {}): AsyncGenerator<LogEntry> {
    return readLogs(logPath, opts);
  }

  async top(id: string, psArgs?: string): Promise<TopResult> {
    checkId(id);
    const state = await this.runc.state(id);
    if (state?.status !== 'running' && state?.status !== 'paused') {
      throw DomainError.conflict(`Container ${id} is not running`);
    }
    return psTop(await this.runc.pids(id), psArgs);
  }
}

async function readSmall(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}
