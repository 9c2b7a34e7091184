import { Injectable } from '@nestjs/common';
import {
  ImageListV1,
  ImageRecord,
  LIST_IMAGES_V1,
  STORE_USAGE_V1,
  StoreUsageResultV1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import type { ImageSummary } from '../engine-types';
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
 * `SharedSize` the bytes of its blobs that another image uses too, and no image has containers.
 */
@Injectable()
export class SystemDfUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(): Promise<SystemDataUsage> {
    const [{ images }, usage] = await Promise.all([
      this.bus.send<ImageListV1>(LIST_IMAGES_V1, {}),
      this.bus.send<StoreUsageResultV1>(STORE_USAGE_V1, {}),
    ]);
    const users = blobUsers(images);
    return {
      LayersSize: usage.bytes,
      Images: images.map((image) => ({
        ...toImageSummary(image),
        SharedSize: sharedSize(image, users),
        Containers: 0,
      })),
      Containers: [],
      Volumes: [],
      BuildCache: [],
    };
  }
}

function blobsOf(image: ImageRecord): Map<string, number> {
  const blobs = new Map<string, number>();
  for (const m of image.manifests)
    for (const b of [m.config, ...m.layers]) blobs.set(b.digest, b.size);
  return blobs;
}

function blobUsers(images: readonly ImageRecord[]): Map<string, number> {
  const users = new Map<string, number>();
  for (const image of images)
    for (const digest of blobsOf(image).keys()) users.set(digest, (users.get(digest) ?? 0) + 1);
  return users;
}

function sharedSize(image: ImageRecord, users: Map<string, number>): number {
  let shared = 0;
  for (const [digest, size] of blobsOf(image)) if ((users.get(digest) ?? 0) > 1) shared += size;
  return shared;
}
