import { Injectable } from '@nestjs/common';
import {
  DELETE_BLOBS_V1,
  DeletedBlobsV1,
  GET_IMAGE_V1,
  ImageListV1,
  ImageRecord,
  LIST_IMAGES_V1,
  REMOVE_IMAGE_V1,
  RemoveImageResultV1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';

/**
 * ImagesUseCases are the native API's image operations, each one message to its owner:
 * list, inspect and remove (then delete the blobs no image needs any more). The archive route
 * is SaveImagesUseCase.
 */
@Injectable()
export class ImagesUseCases {
  constructor(private readonly bus: Bus) {}

  async list(): Promise<ImageRecord[]> {
    return (await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {})).images;
  }

  get(ref: string): Promise<ImageRecord> {
    return this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref });
  }

  async remove(
    ref: string,
    force: boolean,
  ): Promise<RemoveImageResultV1 & { reclaimedBytes: number }> {
    const result = await this.bus.send<RemoveImageResultV1>(REMOVE_IMAGE_V1, { ref, force });
    if (result.releasedBlobs.length === 0) return { ...result, reclaimedBytes: 0 };
    const deleted = await this.bus.send<DeletedBlobsV1>(DELETE_BLOBS_V1, {
      digests: result.releasedBlobs,
    });
    return { ...result, reclaimedBytes: deleted.reclaimedBytes };
  }
}
