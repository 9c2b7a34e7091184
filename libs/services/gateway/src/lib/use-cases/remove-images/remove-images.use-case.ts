import { Injectable } from '@nestjs/common';
import {
  COLLECT_BLOBS_V1,
  CollectedBlobsV1,
  GET_IMAGE_V1,
  ImageRecord,
  ImageUseV1,
  REMOVE_IMAGE_V1,
  RemoveImageResultV1,
} from '@stevedore/contracts';
import { isDomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { RuntimeUsage } from '../runtime-usage/runtime-usage';
import { RemovalPlan, planRemoval } from './image-conflicts';

/** RemoveImagesCommand names the images to remove (references or IDs) and how. */
export interface RemoveImagesCommand {
  refs: readonly string[];
  /** Docker's `force`: remove an image referenced in several repositories. */
  force: boolean;
  /** Skip a name nobody holds any more (prune: another request removed it meanwhile). */
  skipMissing?: boolean;
  /** What the runtime said containers use, when the caller already asked (prune). */
  inUse?: Map<string, ImageUseV1['containers']>;
}

/** RemovedImages is what the removals did, and what collecting their blobs freed. */
export interface RemovedImages extends RemoveImageResultV1 {
  /** The bytes of the blobs the collector deleted, exactly. */
  reclaimedBytes: number;
}

/**
 * RemoveImagesUseCase is every removal of images — `docker rmi`, `docker image prune`, the native
 * `DELETE /api/v1/images/{ref}` — in one place: metadata applies Docker's untag/delete rules, one
 * image after another, then the blobstore collects the blobs they released. Whether a blob really
 * goes is decided there, at delete time (a pull may be holding it), which is also why the bytes
 * reclaimed are the collector's count and not the sum of what was released. Images containers
 * use are Docker's conflicts (see planRemoval), asked of the runtime first.
 */
@Injectable()
export class RemoveImagesUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly runtime: RuntimeUsage,
  ) {}

  async execute(command: RemoveImagesCommand): Promise<RemovedImages> {
    const removed: RemovedImages = { items: [], releasedBlobs: [], reclaimedBytes: 0 };
    const inUse = command.inUse ?? (await this.runtime.imagesInUse());
    for (const ref of command.refs) {
      const result = await this.removeOne(ref, command, inUse);
      removed.items.push(...(result?.items ?? []));
      removed.releasedBlobs.push(...(result?.releasedBlobs ?? []));
    }
    if (removed.releasedBlobs.length > 0) {
      const collected = await this.bus.send<CollectedBlobsV1>(COLLECT_BLOBS_V1, {
        digests: removed.releasedBlobs,
      });
      removed.reclaimedBytes = collected.reclaimedBytes;
    }
    return removed;
  }

  private async removeOne(
    ref: string,
    command: RemoveImagesCommand,
    inUse: Map<string, ImageUseV1['containers']>,
  ): Promise<RemoveImageResultV1 | undefined> {
    try {
      const plan = await this.plan(ref, command.force, inUse);
      return await this.bus.send<RemoveImageResultV1>(REMOVE_IMAGE_V1, {
        ref,
        force: command.force,
        ...(plan.keepImage ? { keepImage: true } : {}),
      });
    } catch (err) {
      if (command.skipMissing && isDomainError(err) && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  /** plan checks the containers using `ref`'s image, when any container uses any image. */
  private async plan(
    ref: string,
    force: boolean,
    inUse: Map<string, ImageUseV1['containers']>,
  ): Promise<RemovalPlan> {
    if (inUse.size === 0) return { keepImage: false };
    const image = await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref });
    return planRemoval(ref, image, inUse.get(image.id) ?? [], force);
  }
}
