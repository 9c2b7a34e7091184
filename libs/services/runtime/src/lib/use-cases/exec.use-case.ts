import { Injectable } from '@nestjs/common';
import type { CreateExecV1, ExecJsonV1, ResizeExecV1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { ContainerEvents } from '../lifecycle/container-events';
import { ContainerStore } from '../store/container-store';
import { parseDetachKeys } from '../io/detach-keys';
import { ExecStore, execConfigOf, execJsonOf } from '../io/exec-store';

/** How long a resize waits for an exec that was just started to be running. */
const RESIZE_WAIT_MS = 5_000;

/**
 * ExecUseCase is `docker exec`'s bus calls: create (the container must be running, dockerd's
 * conflict otherwise), inspect, and resize of the exec's TTY. Starting one is a ContainerIo session.
 */
@Injectable()
export class ExecUseCase {
  private readonly watched = new Set<string>();

  constructor(
    private readonly store: ContainerStore,
    private readonly execs: ExecStore,
    private readonly events: ContainerEvents,
  ) {}

  create(request: CreateExecV1): { Id: string } {
    const record = this.store.get(request.id);
    if (!record.state.Running) throw DomainError.conflict(`Container ${record.id} is not running`);
    const config = execConfigOf(request.config);
    try {
      parseDetachKeys(config.detachKeys);
    } catch {
      throw DomainError.invalidArgument(`Invalid escape keys (${config.detachKeys}) provided`);
    }
    const exec = this.execs.create(record.id, config);
    this.forgetOnRemoval(record.id);
    return { Id: exec.id };
  }

  inspect(execId: string): ExecJsonV1 {
    return execJsonOf(this.execs.get(execId));
  }

  /** resize sets the exec's TTY size; the CLI sends it right after the start, so it may wait a little. */
  async resize(request: ResizeExecV1): Promise<void> {
    const exec = this.execs.get(request.execId);
    const deadline = Date.now() + RESIZE_WAIT_MS;
    while (!exec.session && exec.exitCode === null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    if (!exec.session) {
      if (exec.exitCode !== null) return;
      throw DomainError.conflict(`exec ${exec.id} is not running`);
    }
    await exec.session.resize({ height: request.height, width: request.width });
  }

  /** forgetOnRemoval drops a container's execs when it is removed (one listener per container). */
  private forgetOnRemoval(containerId: string): void {
    if (this.watched.has(containerId)) return;
    this.watched.add(containerId);
    void this.events
      .next(containerId, (c) => c.kind === 'removed')
      .then(() => {
        this.execs.dropContainer(containerId);
        this.watched.delete(containerId);
      });
  }
}
