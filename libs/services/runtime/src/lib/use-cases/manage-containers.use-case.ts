import { Injectable } from '@nestjs/common';
import type {
  PruneContainersResultV1,
  PruneContainersV1,
  RenameContainerV1,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { ContainerStore } from '../store/container-store';
import type { ContainerRecord } from '../store/container-record';
import { ContainerSizes } from '../support/container-sizes';
import { EngineEvents } from '../support/engine-events';
import { RemoveContainerUseCase } from './remove-container.use-case';

/** ManageContainersUseCase is `docker rename` and `docker container prune`. */
@Injectable()
export class ManageContainersUseCase {
  constructor(
    private readonly store: ContainerStore,
    private readonly removal: RemoveContainerUseCase,
    private readonly sizes: ContainerSizes,
    private readonly events: EngineEvents,
  ) {}

  async rename(request: RenameContainerV1): Promise<void> {
    const record = this.store.get(request.id);
    const name = request.name.replace(/^\//, '');
    if (name === record.name)
      throw DomainError.invalidArgument(
        'Renaming a container with the same name as its current name',
      );
    this.store.checkName(name, record.id);
    await this.store.save({ ...record, name });
    this.events.container('rename', { ...record, name }, { oldName: `/${record.name}` });
  }

  /** prune removes stopped containers matching the filters and reports the bytes they held. */
  async prune(request: PruneContainersV1): Promise<PruneContainersResultV1> {
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const record of this.store.all().filter((r) => !r.state.Running && matches(r, request))) {
      const { SizeRw } = await this.sizes.of(record);
      await this.removal.execute({ id: record.id, force: false, volumes: false });
      deleted.push(record.id);
      reclaimed += SizeRw;
    }
    return { ContainersDeleted: deleted, SpaceReclaimed: reclaimed };
  }
}

function matches(record: ContainerRecord, request: PruneContainersV1): boolean {
  if (request.until !== undefined && Date.parse(record.created) / 1000 >= request.until)
    return false;
  const labels = record.config.Labels;
  const has = (filter: string): boolean => {
    const [key, value] = filter.split('=', 2) as [string, string?];
    return key in labels && (value === undefined || labels[key] === value);
  };
  return (request.labels ?? []).every(has) && !(request.notLabels ?? []).some(has);
}
