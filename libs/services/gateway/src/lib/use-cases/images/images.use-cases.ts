import { Inject, Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import {
  ArchivePlanV1,
  GET_IMAGE_V1,
  ImageListV1,
  ImageRecord,
  LIST_IMAGES_V1,
  PLAN_ARCHIVE_V1,
} from '@stevedore/contracts';
import { writeArchive } from '@stevedore/archive';
import { Bus } from '@stevedore/messaging';
import { RemovedImages, RemoveImagesUseCase } from '../remove-images/remove-images.use-case';

/**
 * ImagesUseCases are the native API's image operations, each one message to its owner:
 * list, inspect, remove (the shared removal, which then collects the blobs) and archive (the
 * exporter plans the tar; its blobs stream from the store straight to the client).
 */
@Injectable()
export class ImagesUseCases {
  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
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

  /**
   * Streams one docker-save archive of every image in `refs` into `out`. Every name is resolved
   * (the plan) before the first byte, so an unknown one is a clean NOT_FOUND, not a torn tar.
   */
  async archive(
    refs: string | string[],
    out: Writable & { setHeader?(name: string, value: string): void },
  ): Promise<void> {
    const plan = await this.bus.send<ArchivePlanV1>(PLAN_ARCHIVE_V1, {
      images: typeof refs === 'string' ? [refs] : refs,
    });
    out.setHeader?.('Content-Type', 'application/x-tar');
    await writeArchive(plan, this.store, out);
  }
}
