import { apiBefore } from '../../engine/api-version';
import type { SystemDataUsage } from './system-df.use-case';

/**
 * diskUsageForVersion shapes `GET /system/df` for the API `version` asked for, as moby's system
 * router does: below 1.42 a `BuilderSize` (the build cache's total: 0, Stevedore keeps no build
 * cache), below 1.44 each image's `VirtualSize` (equal to `Size`).
 */
export function diskUsageForVersion(usage: SystemDataUsage, version: string): SystemDataUsage {
  const images = apiBefore(version, 'inspectVirtualSize')
    ? usage.Images.map((image) => ({ ...image, VirtualSize: image.Size }))
    : usage.Images;
  return {
    ...usage,
    Images: images,
    ...(apiBefore(version, 'dfBuilderSize') ? { BuilderSize: 0 } : {}),
  };
}
