import { Injectable } from '@nestjs/common';
import {
  ImageListV1,
  LIST_IMAGES_V1,
  RECLAIM_INGESTS_V1,
  ReclaimedIngestsV1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { RemoveImagesUseCase } from '../../use-cases/remove-images/remove-images.use-case';
import { RuntimeUsage } from '../../use-cases/runtime-usage/runtime-usage';
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
 * default, every one with `dangling=false`) go through the shared removal, which collects the blobs
 * no remaining image refers to. First, the blobstore reclaims the interrupted downloads that
 * outgrew their limits: on a full disk that is what makes room for the database writes the
 * removals need. `SpaceReclaimed` is the bytes both freed, exactly. An image another request
 * removed meanwhile is skipped, and so is every image a container uses (dangling or not).
 */
@Injectable()
export class PruneImagesUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly removal: RemoveImagesUseCase,
    private readonly runtime: RuntimeUsage,
  ) {}

  async execute(filters: string | undefined): Promise<ImagePruneResponse> {
    const query = parsePruneQuery(parseFiltersParam(filters), Date.now());
    const ingests = await this.bus.send<ReclaimedIngestsV1>(RECLAIM_INGESTS_V1, {});
    const { images } = await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    const inUse = await this.runtime.imagesInUse();
    const removed = await this.removal.execute({
      refs: prunable(images, query)
        .filter((image) => (inUse.get(image.id)?.length ?? 0) === 0)
        .map((image) => image.id),
      force: true,
      skipMissing: true,
      inUse,
    });
    return {
      ImagesDeleted: removed.items.length === 0 ? null : removed.items,
      SpaceReclaimed: ingests.reclaimedBytes + removed.reclaimedBytes,
    };
  }
}
