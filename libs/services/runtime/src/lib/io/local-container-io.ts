import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@stevedore/domain';
import type { ConmonRuntime } from '@stevedore/oci-runtime';
import type {
  AttachOptions,
  ContainerIo,
  ExecStartOptions,
  LogsOptions,
  PathStat,
  PutArchiveOptions,
  Session,
} from '@stevedore/runtime-http';
import { Readable } from 'node:stream';
import { ConmonProcesses } from '../lifecycle/conmon-processes';
import { ContainerEvents } from '../lifecycle/container-events';
import { ContainerLifecycle, logPathOf } from '../lifecycle/container-lifecycle';
import { PROCESSES } from '../lifecycle/runtime-ports';
import { ContainerStore } from '../store/container-store';
import { attachSession } from './attach-session';
import { ContainerFiles } from './container-files';
import { execStartSession, recordExit, startExecProcess } from './exec-start';
import { ExecStore } from './exec-store';
import { logFrames, tailOf } from './log-stream';

/**
 * LocalContainerIo is the {@link ContainerIo} port served by the runtime in its own process (the
 * embedded topology binds it to the gateway directly): attach and exec sessions on conmon, logs
 * from conmon's log file, `docker cp` and export on the container's root. Every refusal (no such
 * container, not running, bad options) is thrown before a Session or stream is returned.
 */
@Injectable()
export class LocalContainerIo implements ContainerIo {
  private readonly runtime: ConmonRuntime;

  constructor(
    private readonly store: ContainerStore,
    private readonly lifecycle: ContainerLifecycle,
    private readonly events: ContainerEvents,
    private readonly execs: ExecStore,
    private readonly files: ContainerFiles,
    @Inject(PROCESSES) processes: ConmonProcesses,
  ) {
    this.runtime = processes.runtime;
  }

  async attach(id: string, options: AttachOptions): Promise<Session> {
    const record = this.store.get(id);
    const logPath = logPathOf(this.store.dir(record.id));
    return attachSession(
      { runtime: this.runtime, lifecycle: this.lifecycle, record, logPath },
      options,
    );
  }

  async execStart(execId: string, options: ExecStartOptions): Promise<Session> {
    const exec = this.execs.get(execId);
    if (exec.running)
      throw DomainError.conflict(`Error: Exec command ${exec.id} is already running`);
    if (exec.started) throw DomainError.conflict(`Error: Exec command ${exec.id} has already run`);
    const record = this.store.get(exec.containerId);
    if (!record.state.Running) throw DomainError.conflict(`Container ${record.id} is not running`);
    exec.started = true;
    if (!options.detach) return execStartSession(this.runtime, exec, options);
    // Detached, the start is answered 200 once the process runs: failures are still errors.
    const session = await startExecProcess(this.runtime, exec);
    void recordExit(exec, session);
    return { tty: options.tty, run: async () => undefined };
  }

  async logs(
    id: string,
    options: LogsOptions,
    signal?: AbortSignal,
  ): Promise<{ tty: boolean; body: Readable }> {
    const record = this.store.get(id);
    const tty = record.config.Tty;
    const follow = options.follow && record.state.Running;
    // Subscribed in the same tick as the state was read: no exit can slip in between.
    const stopped = follow ? this.stoppedOf(record.id, signal) : undefined;
    const entries = this.runtime.readLogs(logPathOf(this.store.dir(record.id)), {
      follow,
      ...(stopped ? { stopped } : {}),
      // Log times are read to the millisecond: a bound in nanoseconds keeps its own entry.
      ...(options.since > 0 ? { since: Math.floor(options.since * 1000) / 1000 } : {}),
      ...(options.until > 0 ? { until: Math.ceil(options.until * 1000) / 1000 } : {}),
      ...(tailOf(options.tail) !== undefined ? { tail: tailOf(options.tail) } : {}),
    });
    const body = Readable.from(logFrames(entries, options, tty), { objectMode: false });
    signal?.addEventListener('abort', () => body.destroy(), { once: true });
    return { tty, body };
  }

  statPath(id: string, path: string): Promise<PathStat> {
    return this.files.statPath(id, path);
  }

  getArchive(id: string, path: string): Promise<{ stat: PathStat; body: Readable }> {
    return this.files.getArchive(id, path);
  }

  putArchive(id: string, options: PutArchiveOptions, tar: Readable): Promise<void> {
    return this.files.putArchive(id, options, tar);
  }

  export(id: string): Promise<Readable> {
    return this.files.export(id);
  }

  /** stoppedOf settles when the container exits or the client goes, ending a follow. */
  private stoppedOf(id: string, signal?: AbortSignal): Promise<unknown> {
    const exited = this.events.next(id, (c) => c.kind === 'exited' || c.kind === 'removed');
    const aborted = new Promise((resolve) => signal?.addEventListener('abort', resolve));
    return Promise.race([exited, aborted]);
  }
}
