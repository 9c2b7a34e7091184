import { Inject, Injectable } from '@nestjs/common';
import type { ImageListV1 } from '@stevedore/contracts';
import { METADATA_STORE, MetadataStore } from '@stevedore/metadata-store';

/** ListImagesUseCase returns every image, newest first; filters are the caller's business. */
@Injectable()
export class ListImagesUseCase {
  constructor(@Inject(METADATA_STORE) private readonly store: MetadataStore) {}

  async execute(): Promise<ImageListV1> {
    return { images: await this.store.listImages() };
  }
}
