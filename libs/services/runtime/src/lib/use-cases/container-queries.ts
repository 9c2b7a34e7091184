import { Injectable } from '@nestjs/common';
import type { ContainerJsonV1, ImageUseV1, ListContainersV1 } from '@stevedore/contracts';
import { ContainerStore } from '../store/container-store';
import type { ContainerRecord } from '../store/container-record';
import { containerJsonOf } from './container-json';
import { ContainerSizes } from '../support/container-sizes';
import { ExecStore } from '../io/exec-store';

/** ContainerQueries answers inspect, list and images-in-use from the records. */
@Injectable()
export class ContainerQueries {
  constructor(
    private readonly store: ContainerStore,
    private readonly sizes: ContainerSizes,
    private readonly execs: ExecStore,
  ) {}

  async inspect(ref: string, size = false): Promise<ContainerJsonV1> {
    return this.jsonOf(this.store.get(ref), size);
  }

  /** list is `docker ps` (newest first, as dockerd); filters are the gateway's. */
  async list(request: ListContainersV1): Promise<ContainerJsonV1[]> {
    const records = this.store
      .all()
      .filter((r) => request.all || r.state.Running)
      .sort((a, b) => b.created.localeCompare(a.created));
    return Promise.all(records.map((r) => this.jsonOf(r, request.size)));
  }

  imagesInUse(): ImageUseV1[] {
    const byImage = new Map<string, ImageUseV1>();
    for (const r of this.store.all()) {
      const use = byImage.get(r.imageId) ?? { imageId: r.imageId, containers: [] };
      use.containers.push({ id: r.id, running: r.state.Running });
      byImage.set(r.imageId, use);
    }
    return [...byImage.values()];
  }

  private async jsonOf(record: ContainerRecord, size: boolean): Promise<ContainerJsonV1> {
    const json = {
      ...containerJsonOf(record, this.store.dir(record.id)),
      ExecIDs: this.execs.runningIds(record.id),
    };
    if (!size) return json;
    return { ...json, ...(await this.sizes.of(record)) };
  }
}
