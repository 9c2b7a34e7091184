import { Injectable } from '@nestjs/common';
import {
  ImageListV1,
  LIST_IMAGES_V1,
  STORE_USAGE_V1,
  StoreUsageResultV1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import type { ImageSummary } from '../engine-types';
import { LayerSizes } from '../mapping/image-size';
import { toImageSummary } from '../mapping/image-summary';

/** SystemDataUsage is `GET /system/df`: images and their layers; no containers, volumes or build cache here. */
export interface SystemDataUsage {
  LayersSize: number;
  Images: ImageSummary[];
  Containers: [];
  Volumes: [];
  BuildCache: [];
}

/**
 * SystemDfUseCase is `docker system df`: `LayersSize` is what the blob store holds, each image's
 * `SharedSize` the bytes of its layers that another image holds too (one rule: see layerSizes),
 * and no image has containers.
 */
@Injectable()
export class SystemDfUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(): Promise<SystemDataUsage> {
    const [{ images }, usage] = await Promise.all([
      this.bus.send<ImageListV1>(LIST_IMAGES_V1, {}),
      this.bus.send<StoreUsageResultV1>(STORE_USAGE_V1, {}),
    ]);
    const sizes = LayerSizes.of(images);
    const shared = sizes.sharedSizes(images);
    return {
      LayersSize: usage.bytes,
      Images: images.map((image) => ({
        ...toImageSummary(image, sizes),
        SharedSize: shared.get(image.id) ?? 0,
        Containers: 0,
      })),
      Containers: [],
      Volumes: [],
      BuildCache: [],
    };
  }
}
