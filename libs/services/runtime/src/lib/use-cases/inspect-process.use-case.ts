import { Inject, Injectable } from '@nestjs/common';
import type { ResizeContainerV1, TopContainerV1, TopResultV1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { containerChanges, type ContainerChange } from '@stevedore/snapshots';
import { ConmonProcesses } from '../lifecycle/conmon-processes';
import { PROCESSES } from '../lifecycle/runtime-ports';
import { ContainerStore } from '../store/container-store';
import type { ContainerRecord } from '../store/container-record';
import { planOf } from '../support/rootfs-plan';
import { RuntimeSnapshots } from '../support/runtime-snapshots';

/** ContainerProcessUseCase is `docker top`, `docker diff` and TTY resizes. */
@Injectable()
export class ContainerProcessUseCase {
  constructor(
    private readonly store: ContainerStore,
    private readonly snapshots: RuntimeSnapshots,
    @Inject(PROCESSES) private readonly processes: ConmonProcesses,
  ) {}

  async top(request: TopContainerV1): Promise<TopResultV1> {
    const record = this.running(request.id);
    return this.processes.runtime.top(record.id, request.psArgs || '-ef');
  }

  async resize(request: ResizeContainerV1): Promise<void> {
    const record = this.running(request.id);
    await this.processes.runtime.resize(record.id, {
      height: request.height,
      width: request.width,
    });
  }

  async changes(ref: string): Promise<ContainerChange[]> {
    const record = this.store.get(ref);
    const plan = planOf(record, this.store.dir(record.id), this.snapshots.snapshotter.layout);
    return containerChanges(plan);
  }

  private running(ref: string): ContainerRecord {
    const record = this.store.get(ref);
    if (!record.state.Running) throw DomainError.conflict(`Container ${record.id} is not running`);
    return record;
  }
}
