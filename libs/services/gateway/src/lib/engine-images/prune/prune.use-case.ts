import { Injectable } from '@nestjs/common';
import {
  DELETE_BLOBS_V1,
  DeletedBlobsV1,
  ImageListV1,
  LIST_IMAGES_V1,
  REMOVE_IMAGE_V1,
  RemoveImageResultV1,
} from '@stevedore/contracts';
import { isDomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import type { DeleteResponseItem } from '../engine-types';
import { parseFiltersParam } from '../filters/filters-param';
import { parsePruneQuery, prunable } from './prune-filters';

/** ImagePruneResponse is `POST /images/prune`'s answer (`ImagesDeleted` is null when nothing went). */
export interface ImagePruneResponse {
  ImagesDeleted: DeleteResponseItem[] | null;
  SpaceReclaimed: number;
}

/**
 * PruneImagesUseCase is `docker image prune`: the images the filters select (dangling ones by
 * default, every one with `dangling=false`) are removed with their references, then the blobs no
 * remaining image refers to are deleted from the store. `SpaceReclaimed` is the bytes of those
 * blobs, exactly. An image another request removed meanwhile is skipped.
 */
@Injectable()
export class PruneImagesUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(filters: string | undefined): Promise<ImagePruneResponse> {
    const query = parsePruneQuery(parseFiltersParam(filters), Date.now());
    const { images } = await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    const items: DeleteResponseItem[] = [];
    const released: string[] = [];
    for (const image of prunable(images, query)) {
      const removed = await this.removeOne(image.id);
      if (!removed) continue;
      items.push(...removed.items);
      released.push(...removed.releasedBlobs);
    }
    const reclaimed =
      released.length === 0
        ? 0
        : (await this.bus.send<DeletedBlobsV1>(DELETE_BLOBS_V1, { digests: released }))
            .reclaimedBytes;
    return { ImagesDeleted: items.length === 0 ? null : items, SpaceReclaimed: reclaimed };
  }

  private async removeOne(id: string): Promise<RemoveImageResultV1 | undefined> {
    try {
      return await this.bus.send<RemoveImageResultV1>(REMOVE_IMAGE_V1, { ref: id, force: true });
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }
}
