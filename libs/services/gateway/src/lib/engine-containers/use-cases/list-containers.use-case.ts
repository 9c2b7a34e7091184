import { Injectable } from '@nestjs/common';
import {
  ContainerJsonV1,
  GET_IMAGE_V1,
  INSPECT_CONTAINER_V1,
  ImageRecord,
  LIST_CONTAINERS_V1,
} from '@stevedore/contracts';
import { DomainError, isDomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { parseFiltersParam } from '../../engine-images/filters/filters-param';
import { containersOf } from '../../use-cases/runtime-usage/runtime-usage';
import { parsePsQuery } from '../filters/container-filters';
import { selectContainers } from '../filters/select-containers';
import { ContainerSummary, toContainerSummary } from '../mapping/container-summary';
import { sayingNoRuntime } from './runtime-unavailable';

/** ListContainersCommand is `GET /containers/json`'s query. */
export interface ListContainersCommand {
  all: boolean;
  limit: number;
  size: boolean;
  filters?: string;
}

/**
 * ListContainersUseCase is `docker ps`: every container from the runtime, newest first, filtered
 * here as dockerd does (the CLI filters nothing). `ancestor` resolves through metadata (an
 * unknown image matches nothing, as dockerd); `before`/`since` name containers (404 if none).
 */
@Injectable()
export class ListContainersUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(command: ListContainersCommand): Promise<ContainerSummary[]> {
    const query = parsePsQuery(parseFiltersParam(command.filters));
    const [beforeRef, sinceRef] = [
      query.filters.get('before')?.[0],
      query.filters.get('since')?.[0],
    ];
    const before = beforeRef === undefined ? undefined : await this.idOf(beforeRef);
    const since = sinceRef === undefined ? undefined : await this.idOf(sinceRef);
    const ancestorRefs = query.filters.get('ancestor');
    const ancestors = ancestorRefs ? await this.imageIds(ancestorRefs) : undefined;
    const reply = await sayingNoRuntime(() =>
      this.bus.send<unknown>(LIST_CONTAINERS_V1, {
        all: true,
        size: command.size,
      }),
    );
    const newestFirst = containersOf(reply).sort(
      (a, b) => Date.parse(b.Created) - Date.parse(a.Created),
    );
    const selected = selectContainers(newestFirst, query, {
      all: command.all,
      limit: command.limit,
      ...(ancestors ? { ancestors } : {}),
      ...(before ? { before } : {}),
      ...(since ? { since } : {}),
    });
    const names = await this.imagesNow(selected);
    const now = Date.now();
    return selected.map((c) =>
      toContainerSummary(c, {
        size: command.size,
        now,
        imageNow: names.get(String(c.Config['Image'])),
      }),
    );
  }

  /** idOf finds a `before`/`since` container; dockerd 20.10 words a missing one `no such container <ref>`. */
  private async idOf(ref: string): Promise<string> {
    try {
      return (await this.bus.send<ContainerJsonV1>(INSPECT_CONTAINER_V1, { id: ref })).Id;
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND')
        throw DomainError.notFound(`no such container ${ref}`);
      throw err;
    }
  }

  private async resolve(ref: string): Promise<string | undefined> {
    try {
      return (await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref })).id;
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  private async imageIds(refs: readonly string[]): Promise<Set<string>> {
    const ids = await Promise.all(refs.map((ref) => this.resolve(ref)));
    return new Set(ids.filter((id): id is string => id !== undefined));
  }

  /** imagesNow resolves each image name the containers were created with, once per name. */
  private async imagesNow(containers: readonly ContainerJsonV1[]): Promise<Map<string, string>> {
    const names = [
      ...new Set(containers.map((c) => c.Config['Image']).filter((n) => typeof n === 'string')),
    ] as string[];
    const ids = await Promise.all(names.map((name) => this.resolve(name)));
    return new Map(
      names.flatMap((name, i) => (ids[i] ? [[name, ids[i]] as [string, string]] : [])),
    );
  }
}
