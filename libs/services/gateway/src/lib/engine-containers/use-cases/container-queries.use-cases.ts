import { Injectable } from '@nestjs/common';
import {
  CHANGES_CONTAINER_V1,
  PRUNE_CONTAINERS_V1,
  PruneContainersResultV1,
  TOP_CONTAINER_V1,
  TopResultV1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { assertKnownFilters, parseFiltersParam } from '../../engine-images/filters/filters-param';
import { parseTimeOrDuration } from '../../engine-images/filters/image-filters';

/** One item of `GET /containers/{id}/changes`: Kind 0 modified, 1 added, 2 deleted. */
export interface ChangeItem {
  Path: string;
  Kind: 0 | 1 | 2;
}

/** TopContainerUseCase is `docker top` (`ps_args` as the client gave them). */
@Injectable()
export class TopContainerUseCase {
  constructor(private readonly bus: Bus) {}

  execute(id: string, psArgs?: string): Promise<TopResultV1> {
    return this.bus.send<TopResultV1>(TOP_CONTAINER_V1, { id, ...(psArgs ? { psArgs } : {}) });
  }
}

/** ContainerChangesUseCase is `docker diff`; dockerd answers `null` for no change. */
@Injectable()
export class ContainerChangesUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(id: string): Promise<ChangeItem[] | null> {
    const changes = await this.bus.send<ChangeItem[] | null>(CHANGES_CONTAINER_V1, { id });
    return changes && changes.length > 0 ? changes : null;
  }
}

/** ContainerPruneResponse is `POST /containers/prune`'s answer. */
export interface ContainerPruneResponse {
  ContainersDeleted: string[] | null;
  SpaceReclaimed: number;
}

/** The filters `POST /containers/prune` accepts (dockerd's containersAcceptedFilters). */
export const CONTAINER_PRUNE_FILTERS = ['until', 'label', 'label!'] as const;

/**
 * PruneContainersUseCase is `docker container prune`: stopped containers created before `until`
 * and matching the label filters go; `ContainersDeleted` is null when none did (dockerd).
 */
@Injectable()
export class PruneContainersUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(filters: string | undefined): Promise<ContainerPruneResponse> {
    const parsed = parseFiltersParam(filters);
    assertKnownFilters(parsed, CONTAINER_PRUNE_FILTERS);
    const until = parsed.get('until')?.[0];
    const result = await this.bus.send<PruneContainersResultV1>(PRUNE_CONTAINERS_V1, {
      ...(until !== undefined
        ? { until: Math.floor(parseTimeOrDuration(until, Date.now()) / 1000) }
        : {}),
      labels: parsed.get('label') ?? [],
      notLabels: parsed.get('label!') ?? [],
    });
    const deleted = result.ContainersDeleted ?? [];
    return {
      ContainersDeleted: deleted.length > 0 ? deleted : null,
      SpaceReclaimed: result.SpaceReclaimed,
    };
  }
}
