import { Injectable } from '@nestjs/common';
import { GET_IMAGE_V1, ImageListV1, ImageRecord, LIST_IMAGES_V1 } from '@stevedore/contracts';
import { Platform, assertPlatformMatches, platformMatcher } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import type { ImageInspect } from '../engine-types';
import { toImageInspect } from '../mapping/image-inspect';
import { LayerSizes } from '../mapping/image-size';
import { inspectForVersion } from '../mapping/inspect-versions';

/**
 * InspectImageUseCase answers `GET /images/{name}/json` in the shape of the requested API version;
 * NOT_FOUND `No such image: <name>` otherwise. With a `platform`, an image that cannot serve it is
 * NOT_FOUND in moby's words (`image with reference <name> was found but does not match the
 * specified platform: wanted …, actual: …`).
 */
@Injectable()
export class InspectImageUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(name: string, apiVersion: string, platform?: Platform): Promise<ImageInspect> {
    const image = await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref: name });
    if (platform) checkPlatform(name, image, platform);
    // `Size` counts each layer at one size store-wide (LayerSizes), so it needs every image.
    const { images } = await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    const sizes = LayerSizes.of([image, ...images]);
    return inspectForVersion(toImageInspect(image, sizes), apiVersion);
  }
}

/**
 * checkPlatform is moby's rule: the config's platform decides, and where the config is wrong the
 * platform a recorded manifest was pulled for (from its index) may still vouch for the image.
 */
function checkPlatform(name: string, image: ImageRecord, wanted: Platform): void {
  const matcher = platformMatcher(wanted);
  if (image.manifests.some((m) => matcher.matches(m.platform))) return;
  const actual = {
    os: image.os,
    architecture: image.architecture,
    ...(image.variant ? { variant: image.variant } : {}),
  };
  assertPlatformMatches(name, wanted, actual);
}
