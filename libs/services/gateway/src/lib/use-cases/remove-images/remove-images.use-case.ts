import { Injectable } from '@nestjs/common';
import {
  COLLECT_BLOBS_V1,
  CollectedBlobsV1,
  REMOVE_IMAGE_V1,
  RemoveImageResultV1,
} from '@stevedore/contracts';
import { isDomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';

/** RemoveImagesCommand names the images to remove (references or IDs) and how. */
export interface RemoveImagesCommand {
  refs: readonly string[];
  /** Docker's `force`: remove an image referenced in several repositories. */
  force: boolean;
  /** Skip a name nobody holds any more (prune: another request removed it meanwhile). */
  skipMissing?: boolean;
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
 * reclaimed are the collector's count and not the sum of what was released.
 */
@Injectable()
export class RemoveImagesUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(command: RemoveImagesCommand): Promise<RemovedImages> {
    const removed: RemovedImages = { items: [], releasedBlobs: [], reclaimedBytes: 0 };
    for (const ref of command.refs) {
      const result = await this.removeOne(ref, command);
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
  ): Promise<RemoveImageResultV1 | undefined> {
    try {
      return await this.bus.send<RemoveImageResultV1>(REMOVE_IMAGE_V1, {
        ref,
        force: command.force,
      });
    } catch (err) {
      if (command.skipMissing && isDomainError(err) && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }
}
