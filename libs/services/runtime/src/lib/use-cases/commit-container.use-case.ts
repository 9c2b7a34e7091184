import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CommitContainerV1,
  type CommitResultV1,
  GET_IMAGE_V1,
  type ImageManifestRecord,
  type ImageRecord,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { layerTar } from '@stevedore/snapshots';
import { EMPTY_TAR_DIFF_ID, childImageJson, type ParentImage } from '../commit/child-image';
import { commitConfigOf, goOrdered } from '../commit/commit-config';
import { ImageWriter } from '../commit/image-writer';
import { type SpooledDiff, spoolDiff } from '../commit/spool-layer';
import { ConmonProcesses } from '../lifecycle/conmon-processes';
import { PROCESSES } from '../lifecycle/runtime-ports';
import type { ContainerRecord } from '../store/container-record';
import { ContainerStore } from '../store/container-store';
import { planOf } from '../support/rootfs-plan';
import { RuntimeSnapshots } from '../support/runtime-snapshots';

/**
 * CommitContainerUseCase is `docker commit` (dockerd 20.10's `CreateImageFromContainer`): the
 * container is frozen (`pause`, through runc's freezer) while its changes stream into a gzip
 * layer, the config is the container's with the body and `--change` lines merged as dockerd
 * does, one history entry is added, and the image is stored, recorded and tagged. It answers the
 * new image ID.
 */
@Injectable()
export class CommitContainerUseCase {
  private readonly logger = new Logger('CommitContainerUseCase');

  constructor(
    private readonly bus: Bus,
    private readonly store: ContainerStore,
    private readonly snapshots: RuntimeSnapshots,
    private readonly writer: ImageWriter,
    @Inject(PROCESSES) private readonly processes: ConmonProcesses,
  ) {}

  async execute(request: CommitContainerV1): Promise<CommitResultV1> {
    const record = this.store.get(request.id);
    refuseUncommittable(record);
    // Bad change lines fail here, before anything is frozen or written.
    const config = commitConfigOf(record.config, request.config, request.changes ?? []);
    const image = await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref: record.imageId });
    const parent = JSON.parse(image.configJson) as ParentImage;
    const manifest = parentManifest(image, parent);
    const dir = await mkdtemp(join(this.store.dir(record.id), 'commit-'));
    try {
      const layer = await this.frozen(record, request.pause, () => this.spool(record, dir));
      const configJson = childImageJson(parent, {
        containerId: record.id,
        containerConfig: goOrdered(record.config as unknown as Record<string, unknown>),
        config,
        author: request.author,
        comment: request.comment,
        diffId: layer.diffId,
        created: new Date().toISOString(),
        dockerVersion: dockerVersion(),
      });
      const id = await this.writer.write({
        parent: manifest,
        ...(layer.diffId === EMPTY_TAR_DIFF_ID ? {} : { layer }),
        configJson,
        ...(request.repo ? { tag: `${request.repo}:${request.tag || 'latest'}` } : {}),
      });
      return { Id: id };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private spool(record: ContainerRecord, dir: string): Promise<SpooledDiff> {
    const plan = planOf(record, this.store.dir(record.id), this.snapshots.snapshotter.layout);
    return spoolDiff(layerTar(plan), dir);
  }

  /**
   * frozen runs `work` with a running container paused (runc's cgroup freezer), so the layer is
   * a consistent picture, and resumes it whatever happens. Where the freezer is refused the
   * commit goes on unpaused, as a copy of a live filesystem, and says so in the log.
   */
  private async frozen<T>(record: ContainerRecord, pause: boolean, work: () => Promise<T>) {
    const state = pause && record.state.Running ? await this.processes.state(record.id) : undefined;
    if (state?.status !== 'running') return work();
    const runc = this.processes.runtime.runc;
    const paused = await runc.call('pause', ['pause', record.id]).then(
      () => true,
      (err: unknown) => {
        this.logger.warn('cannot pause the container; committing it running', {
          id: record.id,
          error: String(err),
        });
        return false;
      },
    );
    try {
      return await work();
    } finally {
      if (paused) await runc.call('resume', ['resume', record.id]);
    }
  }
}

/** refuseUncommittable: dockerd's 409s for a dead container or one being removed. */
function refuseUncommittable(record: ContainerRecord): void {
  if (record.state.Dead)
    throw DomainError.conflict(`You cannot commit container ${record.id} which is Dead`);
  if (record.state.Status === 'removing')
    throw DomainError.conflict(`You cannot commit container ${record.id} which is being removed`);
}

/** parentManifest is the image's manifest whose layers are the config's diff IDs. */
function parentManifest(image: ImageRecord, parent: ParentImage): ImageManifestRecord {
  const count = parent.rootfs?.diff_ids?.length ?? 0;
  const manifest = image.manifests.find((m) => m.layers.length === count);
  if (!manifest)
    throw DomainError.internal(`image ${image.id} has no manifest with ${count} layers`);
  return manifest;
}

declare const __STEVEDORE_BUILD__: { version: string } | undefined;

/** dockerVersion is what the image's `docker_version` says built it: this Stevedore's version. */
function dockerVersion(): string {
  return typeof __STEVEDORE_BUILD__ === 'undefined' ? '0.0.0-dev' : __STEVEDORE_BUILD__.version;
}
