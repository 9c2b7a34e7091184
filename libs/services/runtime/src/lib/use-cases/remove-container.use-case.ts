import { Injectable } from '@nestjs/common';
import type { RemoveContainerV1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { releaseRootfs } from '@stevedore/snapshots';
import { ContainerEvents } from '../lifecycle/container-events';
import { ContainerLifecycle } from '../lifecycle/container-lifecycle';
import { ContainerStore } from '../store/container-store';
import { RuntimeSnapshots } from '../support/runtime-snapshots';
import { EngineEvents } from '../support/engine-events';
import { SnapshotCollector } from '../support/snapshot-collector';
import { Volumes } from '../support/volumes';

/**
 * RemoveContainerUseCase is `docker rm`: a running container is refused unless forced (then
 * killed first); the root is unmounted and its snapshot refs dropped, the record and directory
 * removed, and with `-v` its anonymous volumes too. `--rm` comes here after an exit.
 */
@Injectable()
export class RemoveContainerUseCase {
  private readonly removing = new Set<string>();

  constructor(
    private readonly store: ContainerStore,
    private readonly lifecycle: ContainerLifecycle,
    private readonly snapshots: RuntimeSnapshots,
    private readonly volumes: Volumes,
    private readonly events: ContainerEvents,
    private readonly collector: SnapshotCollector,
    private readonly engineEvents: EngineEvents,
  ) {
    lifecycle.autoRemove = async (id) => {
      if (!this.removing.has(id)) await this.execute({ id, force: true, volumes: true });
    };
  }

  async execute(request: RemoveContainerV1): Promise<void> {
    const record = this.store.get(request.id);
    if (this.removing.has(record.id))
      throw DomainError.conflict(`removal of container ${record.id} is already in progress`);
    if (record.state.Running && !request.force) {
      throw DomainError.conflict(
        `You cannot remove a running container ${record.id}. Stop the container before attempting removal or force remove`,
      );
    }
    this.removing.add(record.id);
    try {
      if (record.state.Running) await this.lifecycle.kill(record.id, 'SIGKILL');
      const dir = this.store.dir(record.id);
      await releaseRootfs(this.snapshots.snapshotter, dir);
      if (request.volumes) await this.volumes.removeAnonymous(record.mounts);
      await this.store.remove(record.id);
      this.events.emit({ kind: 'removed', id: record.id });
      this.engineEvents.container('destroy', record);
      this.collector.soon();
    } finally {
      this.removing.delete(record.id);
    }
  }
}
