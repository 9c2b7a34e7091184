import { Injectable } from '@nestjs/common';
import { GET_IMAGE_V1, ImageRecord } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import type { ImageInspect } from '../engine-types';
import { toImageInspect } from '../mapping/image-inspect';
import { inspectForVersion } from '../mapping/inspect-versions';

/**
 * InspectImageUseCase answers `GET /images/{name}/json` in the shape of the requested API version;
 * NOT_FOUND `No such image: <name>` otherwise.
 */
@Injectable()
export class InspectImageUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(name: string, apiVersion: string): Promise<ImageInspect> {
    const image = await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref: name });
    return inspectForVersion(toImageInspect(image), apiVersion);
  }
}
