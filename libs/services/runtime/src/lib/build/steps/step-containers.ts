import { Injectable } from '@nestjs/common';
import type { ImageRecord } from '@stevedore/contracts';
import { readLogs } from '@stevedore/oci-runtime';
import { CommitSpec, ContainerCommitter } from '../../commit/container-committer';
import { ensureRoot } from '../../io/container-root';
import { ContainerEvents } from '../../lifecycle/container-events';
import { ContainerLifecycle, logPathOf } from '../../lifecycle/container-lifecycle';
import type { ContainerRecord } from '../../store/container-record';
import { ContainerStore } from '../../store/container-store';
import { planOf } from '../../support/rootfs-plan';
import { RuntimeSnapshots } from '../../support/runtime-snapshots';
import { CreateContainerUseCase } from '../../use-cases/create-container.use-case';
import { RemoveContainerUseCase } from '../../use-cases/remove-container.use-case';
import type { BuildOutput } from '../output/build-output';
import type { RunConfig } from './run-config';

/**
 * StepContainers are a build's containers, made and run through the runtime's own machinery
 * (create, conmon + runc start, exit watch, removal) and committed through the one commit path.
 */
@Injectable()
export class StepContainers {
  constructor(
    private readonly creation: CreateContainerUseCase,
    private readonly lifecycle: ContainerLifecycle,
    private readonly events: ContainerEvents,
    private readonly removal: RemoveContainerUseCase,
    private readonly store: ContainerStore,
    private readonly snapshots: RuntimeSnapshots,
    private readonly committer: ContainerCommitter,
  ) {}

  async create(
    image: ImageRecord,
    config: RunConfig,
    hostConfig: Record<string, unknown>,
  ): Promise<ContainerRecord> {
    const { Id } = await this.creation.createFrom(
      { imageId: image.id, config, hostConfig, imageConfigJson: image.configJson },
      image,
    );
    return this.store.get(Id);
  }

  /** run starts the container and copies its output to the build's until it exits: its code. */
  async run(id: string, out: BuildOutput, signal: AbortSignal): Promise<number> {
    if (signal.aborted) return 137;
    const exited = this.events.next(id, (c) => c.kind === 'exited');
    const onAbort = () => void this.lifecycle.kill(id, 'SIGKILL').catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await this.lifecycle.start(id);
      // An abort while the task was starting found nothing to kill yet.
      if (signal.aborted) onAbort();
      const logs = readLogs(logPathOf(this.store.dir(id)), { follow: true, stopped: exited });
      for await (const entry of logs) {
        // A full line's data ends with its newline already.
        if (entry.stream === 'stderr') out.stderr(entry.data);
        else out.stdout(entry.data);
      }
      const change = await exited;
      return change.kind === 'exited' ? change.exitCode : 255;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** root is the container's merged root on the host (mounted if needed). */
  root(record: ContainerRecord): Promise<string> {
    return ensureRoot(planOf(record, this.store.dir(record.id), this.snapshots.snapshotter.layout));
  }

  commit(record: ContainerRecord, spec: CommitSpec): Promise<string> {
    return this.committer.commit(record, spec);
  }

  async remove(id: string): Promise<void> {
    if (this.store.find(id)) await this.removal.execute({ id, force: true, volumes: true });
  }
}
