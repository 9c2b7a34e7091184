import { EventEmitter } from 'node:events';

/** StateChange is what the lifecycle tells waiters: a task created, started, exited, removed. */
export type StateChange =
  | { kind: 'task-created'; id: string }
  | { kind: 'started'; id: string }
  | { kind: 'exited'; id: string; exitCode: number }
  | { kind: 'removed'; id: string };

/**
 * ContainerEvents is the runtime's in-process signal of container state changes: `docker wait`,
 * attach sessions waiting for a start, and `--rm` listen here. It never crosses the bus.
 */
export class ContainerEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  emit(change: StateChange): void {
    this.emitter.emit(change.id, change);
  }

  /** on calls `listener` with every change of container `id` until the returned function is called. */
  on(id: string, listener: (change: StateChange) => void): () => void {
    this.emitter.on(id, listener);
    return () => this.emitter.off(id, listener);
  }

  /** next resolves with the first change of `id` that `accept` takes. */
  next(
    id: string,
    accept: (change: StateChange) => boolean,
    signal?: AbortSignal,
  ): Promise<StateChange> {
    return new Promise((resolve, reject) => {
      const off = this.on(id, (change) => {
        if (!accept(change)) return;
        off();
        resolve(change);
      });
      signal?.addEventListener('abort', () => {
        off();
        reject(signal.reason);
      });
    });
  }
}
