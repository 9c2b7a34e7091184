import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageManifestRecord, ImageRecord } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { layerTar } from '@stevedore/snapshots';
import { ConmonProcesses } from '../lifecycle/conmon-processes';
import { PROCESSES } from '../lifecycle/runtime-ports';
import type { ContainerRecord } from '../store/container-record';
import { ContainerStore } from '../store/container-store';
import { planOf } from '../support/rootfs-plan';
import { RuntimeSnapshots } from '../support/runtime-snapshots';
import { EMPTY_TAR_DIFF_ID, childImageJson, type ParentImage } from './child-image';
import type { GoConfig } from './commit-config';
import { ImageWriter } from './image-writer';
import { type SpooledDiff, spoolDiff } from './spool-layer';

/** CommitSpec is what a commit makes of a container: configs, history words, the parent. */
export interface CommitSpec {
  /** The container's image (for a build step on `scratch`, {@link scratchImage}). */
  parent: ImageRecord;
  config: GoConfig;
  containerConfig: GoConfig;
  /** The image's `container` (dockerd leaves it empty for COPY/ADD steps). */
  containerId: string;
  author?: string | undefined;
  comment?: string | undefined;
  tag?: string;
  pause: boolean;
}

/**
 * ContainerCommitter turns a container's changes into an image — the one path of `docker commit`
 * and of every build step: the changes stream (frozen if running) into a gzip layer, moby's
 * `NewChildImage` config is written with one history entry (`empty_layer` when nothing changed),
 * and the image is stored and recorded. It answers the image ID.
 */
@Injectable()
export class ContainerCommitter {
  private readonly logger = new Logger('ContainerCommitter');

  constructor(
    private readonly store: ContainerStore,
    private readonly snapshots: RuntimeSnapshots,
    private readonly writer: ImageWriter,
    @Inject(PROCESSES) private readonly processes: ConmonProcesses,
  ) {}

  async commit(record: ContainerRecord, spec: CommitSpec): Promise<string> {
    const parent = JSON.parse(spec.parent.configJson) as ParentImage;
    const manifest = parentManifest(spec.parent, parent);
    const dir = await mkdtemp(join(this.store.dir(record.id), 'commit-'));
    try {
      const layer = await this.frozen(record, spec.pause, () => this.spool(record, dir));
      const configJson = childImageJson(parent, {
        containerId: spec.containerId,
        containerConfig: spec.containerConfig,
        config: spec.config,
        author: spec.author,
        comment: spec.comment,
        diffId: layer.diffId,
        created: new Date().toISOString(),
        dockerVersion: dockerVersion(),
      });
      return await this.writer.write({
        parent: manifest,
        ...(layer.diffId === EMPTY_TAR_DIFF_ID ? {} : { layer }),
        configJson,
        ...(spec.tag ? { tag: spec.tag } : {}),
      });
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
export function dockerVersion(): string {
  return typeof __STEVEDORE_BUILD__ === 'undefined' ? '0.0.0-dev' : __STEVEDORE_BUILD__.version;
}
