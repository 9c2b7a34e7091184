import { Injectable } from '@nestjs/common';
import {
  type CommitContainerV1,
  type CommitResultV1,
  GET_IMAGE_V1,
  type ImageRecord,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { commitConfigOf, goOrdered } from '../commit/commit-config';
import { ContainerCommitter } from '../commit/container-committer';
import type { ContainerRecord } from '../store/container-record';
import { ContainerStore } from '../store/container-store';

/**
 * CommitContainerUseCase is `docker commit` (dockerd 20.10's `CreateImageFromContainer`): the
 * config is the container's with the body and `--change` lines merged as dockerd does, and the
 * container is committed through {@link ContainerCommitter} (the path build steps take too),
 * tagged when asked. It answers the new image ID.
 */
@Injectable()
export class CommitContainerUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly store: ContainerStore,
    private readonly committer: ContainerCommitter,
  ) {}

  async execute(request: CommitContainerV1): Promise<CommitResultV1> {
    const record = this.store.get(request.id);
    refuseUncommittable(record);
    // Bad change lines fail here, before anything is frozen or written.
    const config = commitConfigOf(record.config, request.config, request.changes ?? []);
    const parent = await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref: record.imageId });
    const id = await this.committer.commit(record, {
      parent,
      config,
      containerConfig: goOrdered(record.config as unknown as Record<string, unknown>),
      containerId: record.id,
      author: request.author,
      comment: request.comment,
      pause: request.pause,
      ...(request.repo ? { tag: `${request.repo}:${request.tag || 'latest'}` } : {}),
    });
    return { Id: id };
  }
}

/** refuseUncommittable: dockerd's 409s for a dead container or one being removed. */
function refuseUncommittable(record: ContainerRecord): void {
  if (record.state.Dead)
    throw DomainError.conflict(`You cannot commit container ${record.id} which is Dead`);
  if (record.state.Status === 'removing')
    throw DomainError.conflict(`You cannot commit container ${record.id} which is being removed`);
}
