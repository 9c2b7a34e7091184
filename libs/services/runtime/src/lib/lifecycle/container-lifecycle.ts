import { Inject, Injectable, Logger } from '@nestjs/common';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import type { ContainerRecord } from '../store/container-record';
import { ContainerStore } from '../store/container-store';
import { EngineEvents } from '../support/engine-events';
import { ContainerEvents } from './container-events';
import { NETWORKS, type Networks, PROCESSES, type Processes } from './runtime-ports';
import { exitedState, failedStartState, runningState } from './state';
import { taskSpecOf } from './task-spec';

/** How long a start waits for attach sessions that asked to see the first bytes. */
const ATTACH_GRACE_MS = 5_000;

/**
 * ContainerLifecycle starts containers and follows them until they exit: network, hosts files,
 * conmon + runc task, then an exit watcher that records the exit code, frees the network and
 * honours `--rm`. It is the only writer of a container's running state.
 */
@Injectable()
export class ContainerLifecycle {
  private readonly logger = new Logger('ContainerLifecycle');
  /** Attach sessions of not-yet-started containers, connected between task creation and start. */
  private readonly beforeStart = new Map<string, Set<() => Promise<void>>>();
  private readonly watching = new Set<string>();
  /** Set by the removal use-case: what `--rm` does after an exit. */
  autoRemove: (id: string) => Promise<void> = async () => undefined;

  constructor(
    private readonly store: ContainerStore,
    private readonly events: ContainerEvents,
    @Inject(PROCESSES) private readonly processes: Processes,
    @Inject(NETWORKS) private readonly networks: Networks,
    private readonly engineEvents: EngineEvents,
  ) {}

  /** onTaskCreated runs `hook` after the task exists and before its process starts (attach). */
  onTaskCreated(id: string, hook: () => Promise<void>): () => void {
    const hooks = this.beforeStart.get(id) ?? new Set();
    hooks.add(hook);
    this.beforeStart.set(id, hooks);
    return () => hooks.delete(hook);
  }

  /** start runs the container's process; false when it was already running (dockerd's 304). */
  async start(ref: string): Promise<boolean> {
    const record = this.store.get(ref);
    if (record.state.Running) return false;
    if (record.state.Status === 'removing' || record.state.Dead)
      throw DomainError.conflict(`container is marked for removal and cannot be started`);
    await this.cleanTask(record);
    const network = await this.networks.attach(record.id, {
      mode: networkModeOf(record),
      ports: record.ports,
      name: record.name,
    });
    try {
      await this.runTask(record, network);
    } catch (err) {
      await this.networks.detach(record.id).catch(() => undefined);
      await this.recordFailure(record, err);
      // dockerd removes a `--rm` container whose process could not start.
      if (record.hostConfig['AutoRemove'] === true)
        await this.autoRemove(record.id).catch(() => undefined);
      throw err;
    }
    return true;
  }

  private async runTask(
    record: ContainerRecord,
    network: ContainerRecord['network'],
  ): Promise<void> {
    const dir = this.store.dir(record.id);
    const files = await this.networks.writeHostsFiles(dir, {
      hostname: record.config.Hostname,
      domainname: record.config.Domainname,
      network: network ?? { mode: 'none', ports: [] },
      extraHosts: extraHostsOf(record),
    });
    const saved: ContainerRecord = { ...record, network, hasTask: true };
    await this.store.save(saved);
    const { pid } = await this.processes.createTask(taskSpecOf(saved, dir, files));
    this.events.emit({ kind: 'task-created', id: record.id });
    await this.runHooks(record.id);
    await this.processes.startTask(record.id);
    await this.store.save({ ...saved, state: runningState(saved.state, pid) });
    this.events.emit({ kind: 'started', id: record.id });
    this.engineEvents.container('start', saved);
    this.watch(record.id);
  }

  /** stop sends the stop signal, then SIGKILL after `timeout` seconds; false when not running. */
  async stop(ref: string, timeout?: number, signal?: string): Promise<boolean> {
    const record = this.store.get(ref);
    if (!record.state.Running) return false;
    const exited = this.exitOf(record.id);
    const seconds = timeout ?? record.config.StopTimeout ?? 10;
    await this.processes.kill(record.id, signal || record.config.StopSignal || 'SIGTERM');
    if (seconds < 0) return exited.then(() => true);
    const killed = setTimeout(() => {
      this.processes.kill(record.id, 'SIGKILL').catch(() => undefined);
    }, seconds * 1000);
    await exited.finally(() => clearTimeout(killed));
    return true;
  }

  /** kill signals a running container (dockerd's 409 otherwise); SIGKILL waits for the exit. */
  async kill(ref: string, signal = 'SIGKILL'): Promise<void> {
    const record = this.store.get(ref);
    if (!record.state.Running) throw DomainError.conflict(`Container ${record.id} is not running`);
    const exited = this.exitOf(record.id);
    await this.processes.kill(record.id, signal);
    this.engineEvents.container('kill', record, { signal });
    if (/^(SIG)?KILL$|^9$/i.test(signal)) await exited;
  }

  /** watch follows a running container until it exits (also one started by an earlier process). */
  watch(id: string): void {
    if (this.watching.has(id)) return;
    this.watching.add(id);
    this.processes
      .waitExit(id)
      .then((code) => this.onExit(id, code))
      .catch((err: unknown) => this.logger.error(`watching ${id}: ${String(err)}`))
      .finally(() => this.watching.delete(id));
  }

  /** reconcile brings records up to date after a restart: exits missed while Stevedore was down. */
  async reconcile(): Promise<void> {
    for (const record of this.store.all()) {
      if (!record.state.Running) continue;
      const state = await this.processes.state(record.id);
      if (state && state.status !== 'stopped') this.watch(record.id);
      else await this.onExit(record.id, await this.processes.waitExit(record.id).catch(() => 255));
    }
  }

  private exitOf(id: string): Promise<unknown> {
    return this.events.next(id, (c) => c.kind === 'exited');
  }

  private async onExit(id: string, exitCode: number): Promise<void> {
    const record = this.store.find(id);
    if (!record) return;
    await this.store.save({ ...record, state: exitedState(record.state, exitCode) });
    await this.networks.detach(id).catch((err: unknown) => this.logger.warn(String(err)));
    await this.processes.deleteTask(id, true).catch(() => undefined);
    this.events.emit({ kind: 'exited', id, exitCode });
    this.engineEvents.container('die', record, { exitCode: String(exitCode) });
    if (record.hostConfig['AutoRemove'] === true) await this.autoRemove(id);
  }

  private async runHooks(id: string): Promise<void> {
    const hooks = [...(this.beforeStart.get(id) ?? [])];
    this.beforeStart.delete(id);
    const grace = new Promise((resolve) => setTimeout(resolve, ATTACH_GRACE_MS).unref());
    await Promise.race([Promise.allSettled(hooks.map((h) => h())), grace]);
  }

  /** cleanTask removes what a previous run left in runc (a stopped task) before a new one. */
  private async cleanTask(record: ContainerRecord): Promise<void> {
    if (record.hasTask) await this.processes.deleteTask(record.id, true).catch(() => undefined);
  }

  private async recordFailure(record: ContainerRecord, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const code = /not found|no such file/i.test(message)
      ? 127
      : /permission denied/i.test(message)
        ? 126
        : 128;
    const current = this.store.find(record.id) ?? record;
    await this.store.save({ ...current, state: failedStartState(current.state, code, message) });
    await this.processes.deleteTask(record.id, true).catch(() => undefined);
  }
}

function networkModeOf(record: ContainerRecord): 'bridge' | 'host' | 'none' {
  const mode = record.hostConfig['NetworkMode'];
  return mode === 'host' || mode === 'none' ? mode : 'bridge';
}

function extraHostsOf(record: ContainerRecord): string[] {
  const hosts = record.hostConfig['ExtraHosts'];
  return Array.isArray(hosts) ? (hosts as string[]) : [];
}

export const CONTAINER_LOG = 'container.log';
export const logPathOf = (dir: string): string => join(dir, CONTAINER_LOG);
