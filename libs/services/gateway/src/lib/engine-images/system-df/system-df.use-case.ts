import { Injectable } from '@nestjs/common';
import {
  ImageListV1,
  LIST_IMAGES_V1,
  STORE_USAGE_V1,
  StoreUsageResultV1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { RuntimeUsage } from '../../use-cases/runtime-usage/runtime-usage';
import {
  ContainerSummary,
  toContainerSummary,
} from '../../engine-containers/mapping/container-summary';
import type { ImageSummary } from '../engine-types';
import { LayerSizes } from '../mapping/image-size';
import { toImageSummary } from '../mapping/image-summary';
import { API_VERSION } from '../../engine/engine-api';
import { diskUsageForVersion } from './disk-usage-versions';

/** SystemDataUsage is `GET /system/df`: images and their layers, containers; no volumes or build cache here. */
export interface SystemDataUsage {
  LayersSize: number;
  Images: ImageSummary[];
  Containers: ContainerSummary[];
  Volumes: [];
  BuildCache: [];
  /** Below API 1.42 only: the build cache's total (always 0 here). */
  BuilderSize?: number;
}

/**
 * SystemDfUseCase is `docker system df`: `LayersSize` is what the blob store holds, each image's
 * `SharedSize` the bytes of its layers that another image holds too (one rule: see layerSizes)
 * and `Containers` how many containers use it; the containers come as `docker ps -as` rows
 * (the CLI sums their `SizeRw`).
 */
@Injectable()
export class SystemDfUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly runtime: RuntimeUsage,
  ) {}

  /** execute answers at API `version` (see diskUsageForVersion); the newest shape by default. */
  async execute(version = API_VERSION): Promise<SystemDataUsage> {
    const [{ images }, usage, containers] = await Promise.all([
      this.bus.send<ImageListV1>(LIST_IMAGES_V1, {}),
      this.bus.send<StoreUsageResultV1>(STORE_USAGE_V1, {}),
      this.runtime.containers(true),
    ]);
    const sizes = LayerSizes.of(images);
    const shared = sizes.sharedSizes(images);
    const now = Date.now();
    const usageNow: SystemDataUsage = {
      LayersSize: usage.bytes,
      Images: images.map((image) => ({
        ...toImageSummary(image, sizes),
        SharedSize: shared.get(image.id) ?? 0,
        Containers: containers.filter((c) => c.Image === image.id).length,
      })),
      Containers: containers.map((c) => toContainerSummary(c, { size: true, now })),
      Volumes: [],
      BuildCache: [],
    };
    return diskUsageForVersion(usageNow, version);
  }
}
