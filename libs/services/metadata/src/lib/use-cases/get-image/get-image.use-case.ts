import { Injectable } from '@nestjs/common';
import type { GetImageV1, ImageRecord } from '@stevedore/contracts';
import { ImageFinder } from '../../support/image-finder';

/**
 * GetImageUseCase finds one image by what the user typed (see {@link ImageFinder} for the order);
 * NOT_FOUND `No such image: <ref>` otherwise.
 */
@Injectable()
export class GetImageUseCase {
  constructor(private readonly finder: ImageFinder) {}

  async execute(command: GetImageV1): Promise<ImageRecord> {
    return this.finder.find(command.ref);
  }
}
