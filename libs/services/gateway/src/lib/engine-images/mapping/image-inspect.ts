import type { ImageRecord } from '@stevedore/contracts';
import type { ImageInspect } from '../engine-types';
import { readImageConfig } from './config-json';
import { familiarRef } from './familiar';
import { LayerSizes } from './image-size';

/** Go's zero time, which Docker reports as `LastTagTime` for an image never tagged locally. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * toImageInspect maps an image record to Docker's ImageInspect: `Config` holds the image-config keys
 * of the stored config JSON, `RootFS.Layers` its DiffIDs, `Created` stays an RFC 3339 string (the CLI
 * decodes it as one), RepoTags/RepoDigests are familiar, and the storage driver is `stevedore`.
 */
export function toImageInspect(
  image: ImageRecord,
  sizes: LayerSizes = LayerSizes.of([image]),
): ImageInspect {
  const config = readImageConfig(image.configJson);
  return {
    Id: image.id,
    RepoTags: image.repoTags.map(familiarRef),
    RepoDigests: image.repoDigests.map(familiarRef),
    Parent: '',
    // dockerd: an image without its own comment (a commit's) shows its last history entry's.
    Comment: config.comment || (config.history.at(-1)?.comment ?? ''),
    Created: config.created ?? image.created,
    DockerVersion: config.docker_version ?? '',
    Author: config.author ?? '',
    Config: config.config,
    Architecture: image.architecture,
    ...(image.variant ? { Variant: image.variant } : {}),
    Os: image.os,
    ...(config.osVersion ? { OsVersion: config.osVersion } : {}),
    Size: sizes.size(image),
    GraphDriver: { Name: 'stevedore', Data: null },
    RootFS: { Type: 'layers', Layers: config.diffIds },
    Metadata: { LastTagTime: image.lastTagTime ?? ZERO_TIME },
  };
}
