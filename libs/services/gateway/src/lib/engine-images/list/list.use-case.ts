import { Injectable } from '@nestjs/common';
import { GET_IMAGE_V1, ImageListV1, ImageRecord, LIST_IMAGES_V1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import type { ImageSummary } from '../engine-types';
import { parseFiltersParam } from '../filters/filters-param';
import {
  CreatedBounds,
  ImageListQuery,
  parseImageListQuery,
  selectImages,
} from '../filters/image-filters';
import { unixSeconds } from '../mapping/config-json';
import { withManifests } from '../mapping/manifest-summary';
import { ImageListing } from './image-listing';
import { RuntimeUsage } from '../../use-cases/runtime-usage/runtime-usage';

/** ListImagesCommand is `GET /images/json`'s query (`all` and `digests` change nothing for this store). */
export interface ListImagesCommand {
  filters?: string;
  /** The pre-1.41 `filter=<pattern>`, one more `reference` filter (the caller drops it from 1.41 on). */
  legacyFilter?: string;
  /** `manifests=1` (API 1.47+): give each image its `Manifests`. */
  manifests?: boolean;
  /** Count each image's containers (API 1.51 on; -1 before). */
  countContainers?: boolean;
  /** Give each image `VirtualSize` (equal to `Size`), as dockerd does below API 1.44. */
  virtualSize?: boolean;
}

/**
 * ListImagesUseCase answers `GET /images/json`: every image from metadata, filtered server-side as
 * the daemon does (the CLI filters nothing), newest first. `before`/`since` name images, which are
 * looked up first (404 `No such image` when missing).
 */
@Injectable()
export class ListImagesUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly runtime: RuntimeUsage,
    private readonly listing: ImageListing,
  ) {}

  async execute(command: ListImagesCommand): Promise<ImageSummary[]> {
    const filters = parseFiltersParam(command.filters);
    if (command.legacyFilter)
      filters.set('reference', [...(filters.get('reference') ?? []), command.legacyFilter]);
    const query = parseImageListQuery(filters, Date.now());
    const bounds: CreatedBounds = {};
    if (query.before !== undefined) bounds.before = await this.createdOf(query.before);
    if (query.since !== undefined) bounds.since = await this.createdOf(query.since);
    const selected = command.manifests
      ? await this.withManifests(query, bounds)
      : bounds.before !== undefined || bounds.since !== undefined
        ? selectImages(await this.listing.summaries(), query, bounds)
        : await this.listing.select(query);
    const shaped = command.virtualSize
      ? selected.map((summary) => ({ ...summary, VirtualSize: summary.Size }))
      : selected;
    if (!command.countContainers) return shaped;
    const counts = new Map<string, number>();
    for (const { Image } of await this.runtime.containers())
      counts.set(Image, (counts.get(Image) ?? 0) + 1);
    return shaped.map((summary) => ({ ...summary, Containers: counts.get(summary.Id) ?? 0 }));
  }

  /** withManifests (`manifests=1`) needs every image's manifests, so it lists full records. */
  private async withManifests(query: ImageListQuery, bounds: CreatedBounds) {
    const { images } = await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    const byId = new Map(images.map((image) => [image.id, image]));
    return selectImages(images, query, bounds).map((summary) =>
      withManifests(summary, byId.get(summary.Id)),
    );
  }

  private async createdOf(ref: string): Promise<number> {
    const image = await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref });
    return unixSeconds(image.created) * 1000;
  }
}
