import type { AttachHandle, AttachStreams, ConmonRuntime } from '@stevedore/oci-runtime';
import type { AttachOptions, Session } from '@stevedore/runtime-http';
import type { Duplex } from 'node:stream';
import type { ContainerLifecycle } from '../lifecycle/container-lifecycle';
import type { ContainerRecord } from '../store/container-record';
import { ClientConn } from './client-conn';
import { parseDetachKeys } from './detach-keys';
import { logFrames } from './log-stream';
import { outputStreams } from './stdcopy';

/** What an attach session needs of the runtime. */
export interface AttachContext {
  runtime: ConmonRuntime;
  lifecycle: ContainerLifecycle;
  record: ContainerRecord;
  logPath: string;
}

/**
 * attachSession is `POST /containers/{id}/attach` once the container is known and the options
 * valid (bad detach keys are refused here, before the 101). A running container is attached at
 * once; any other waits for its next start, connecting after conmon created the task and before
 * runc starts it, so `docker run` without `-d` sees every byte.
 */
export function attachSession(ctx: AttachContext, options: AttachOptions): Session {
  const keys = parseDetachKeys(options.detachKeys);
  const tty = ctx.record.config.Tty;
  return { tty, run: (conn) => new AttachRun(ctx, options, keys, conn).run() };
}

type Ending = 'exited' | 'gone' | 'detached';

class AttachRun {
  private readonly client: ClientConn;

  constructor(
    private readonly ctx: AttachContext,
    private readonly options: AttachOptions,
    private readonly keys: Buffer,
    conn: Duplex,
  ) {
    this.client = new ClientConn(conn);
  }

  async run(): Promise<void> {
    const io = this.streams();
    // Registered before anything is awaited: a start may come while the log is replayed.
    const early = this.options.stream && !this.ctx.record.state.Running;
    const pending = early ? this.onStart(io) : undefined;
    try {
      if (this.options.logs) await this.replayLog();
      if (!this.options.stream) return;
      const connecting = pending?.connected ?? this.connectNow(io);
      const handle = await Promise.race([connecting, this.ended().then(() => undefined)]);
      if (!handle) {
        void connecting.then((h) => h.detach()).catch(() => undefined);
        return;
      }
      if ((await this.until(handle)) !== 'exited') handle.detach();
    } finally {
      pending?.cancel();
      await this.client.finish();
    }
  }

  private streams(): AttachStreams {
    const { stdout, stderr } = outputStreams(this.client, this.ctx.record.config.Tty, {
      stdout: this.options.stdout,
      stderr: this.options.stderr,
    });
    const config = this.ctx.record.config;
    if (this.options.stdin && config.OpenStdin) {
      const stdin = this.client.input(this.keys, config.StdinOnce && !config.Tty);
      return { stdout, stderr, stdin };
    }
    this.client.discardInput();
    return { stdout, stderr };
  }

  private async connectNow(io: AttachStreams): Promise<AttachHandle> {
    const handle = await this.ctx.runtime.attach(this.ctx.record.id, io);
    await handle.ready;
    return handle;
  }

  /** onStart connects from the lifecycle's hook, between task creation and start. */
  private onStart(io: AttachStreams): { connected: Promise<AttachHandle>; cancel: () => void } {
    let cancel = (): void => undefined;
    const connected = new Promise<AttachHandle>((resolve, reject) => {
      cancel = this.ctx.lifecycle.onTaskCreated(this.ctx.record.id, () =>
        this.connectNow(io).then(resolve, reject),
      );
    });
    return { connected, cancel };
  }

  private ended(): Promise<Ending> {
    return Promise.race([
      this.client.gone.then((): Ending => 'gone'),
      this.client.detached.then((): Ending => 'detached'),
    ]);
  }

  private until(handle: AttachHandle): Promise<Ending> {
    const exited = handle.done.then(
      (): Ending => 'exited',
      (): Ending => 'exited',
    );
    return Promise.race([exited, this.ended()]);
  }

  private async replayLog(): Promise<void> {
    const entries = this.ctx.runtime.readLogs(this.ctx.logPath, {});
    const frames = logFrames(
      entries,
      { ...this.options, timestamps: false },
      this.ctx.record.config.Tty,
    );
    for await (const chunk of frames) this.client.write(chunk);
  }
}
