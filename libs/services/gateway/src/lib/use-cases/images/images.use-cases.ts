import { Injectable } from '@nestjs/common';
import { GET_IMAGE_V1, ImageListV1, ImageRecord, LIST_IMAGES_V1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { RemovedImages, RemoveImagesUseCase } from '../remove-images/remove-images.use-case';

/**
 * ImagesUseCases are the native API's image operations, each one message to its owner:
 * list, inspect and remove (the shared removal, which then collects the blobs). The archive route
 * is SaveImagesUseCase.
 */
@Injectable()
export class ImagesUseCases {
  constructor(
    private readonly bus: Bus,
    private readonly removal: RemoveImagesUseCase,
  ) {}

  async list(): Promise<ImageRecord[]> {
    return (await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {})).images;
  }

  get(ref: string): Promise<ImageRecord> {
    return this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref });
  }

  remove(ref: string, force: boolean): Promise<RemovedImages> {
    return this.removal.execute({ refs: [ref], force });
  }
}
