import { DomainError } from '@stevedore/domain';
import { ociRuntimeError, type RuntimeOp } from './errors';
import { run, runtimeMessage } from './run';

/** ContainerStatus is runc's view of a container. */
export type ContainerStatus = 'created' | 'running' | 'stopped' | 'paused';

export interface ContainerState {
  status: ContainerStatus;
  /** The init process; 0 once stopped. */
  pid: number;
}

/** Runc drives the runc CLI against one state root (`runc --root <dir>`). */
export class Runc {
  constructor(
    readonly path: string,
    readonly root: string,
  ) {}

  /** rootArg is how the same root is passed through conmon (`--runtime-arg`). */
  get rootArg(): string {
    return `--root=${this.root}`;
  }

  async call(op: RuntimeOp, args: string[]): Promise<string> {
    const out = await run(this.path, [this.rootArg, ...args]);
    if (out.code !== 0)
      throw ociRuntimeError(op, runtimeMessage(out.stderr) || `runc exited with ${out.code}`);
    return out.stdout;
  }

  async state(id: string): Promise<ContainerState | undefined> {
    const out = await run(this.path, [this.rootArg, 'state', id]);
    if (out.code !== 0) {
      if (/does not exist/.test(out.stderr)) return undefined;
      throw ociRuntimeError('state', runtimeMessage(out.stderr));
    }
    const parsed = JSON.parse(out.stdout) as { status: ContainerStatus; pid: number };
    return { status: parsed.status, pid: parsed.status === 'stopped' ? 0 : parsed.pid };
  }

  async start(id: string): Promise<void> {
    await this.call('start', ['start', id]);
  }

  async kill(id: string, signal: number, all = false): Promise<void> {
    await this.call('kill', ['kill', ...(all ? ['--all'] : []), id, String(signal)]);
  }

  async delete(id: string, force: boolean): Promise<void> {
    const out = await run(this.path, [this.rootArg, 'delete', ...(force ? ['--force'] : []), id]);
    if (out.code === 0) return;
    const msg = runtimeMessage(out.stderr);
    if (/does not exist/.test(msg)) throw DomainError.notFound(`No such container: ${id}`);
    throw ociRuntimeError('delete', msg);
  }

  async pids(id: string): Promise<number[]> {
    return JSON.parse(await this.call('ps', ['ps', '--format', 'json', id])) as number[];
  }
}
