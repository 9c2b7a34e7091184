import type { ImageSummary } from '../engine-types';
import { familiarRef } from './familiar';
import { unixSeconds } from './config-json';
import { LayerSizes, SizedImage } from './image-size';

/**
 * toImageSummary maps an image record to Docker's ImageSummary: familiar RepoTags/RepoDigests
 * (`[]`, never null), `Created` in unix seconds, `Size` by the store-wide `sizes`, and -1 for the counts the gateway does not compute.
 */
export function toImageSummary(
  image: SizedImage,
  sizes: LayerSizes = LayerSizes.of([image]),
): ImageSummary {
  return {
    Id: image.id,
    ParentId: '',
    RepoTags: image.repoTags.map(familiarRef),
    RepoDigests: image.repoDigests.map(familiarRef),
    Created: unixSeconds(image.created),
    Size: sizes.size(image),
    SharedSize: -1,
    Labels: Object.keys(image.labels).length === 0 ? null : { ...image.labels },
    Containers: -1,
  };
}
