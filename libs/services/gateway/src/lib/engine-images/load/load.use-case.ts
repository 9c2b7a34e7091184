import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { readArchive } from '@stevedore/archive';
import type { LoadedImage } from '@stevedore/archive';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import {
  GET_IMAGE_V1,
  ImageRecord,
  RECORD_IMAGE_V1,
  RecordImageResultV1,
} from '@stevedore/contracts';
import { Platform } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import type { JsonMessage } from '../engine-types';
import { familiarRef } from '../mapping/familiar';

/**
 * LoadImagesUseCase is `docker load`: the hardened archive reader streams the tar (plain or
 * compressed; docker-save legacy and OCI variants, skopeo's docker-archive, OCI layouts) into the
 * blob store, verifying every blob and committing nothing until the whole archive checked out; then
 * each image is recorded with its tags. It answers Docker's `Loaded image…` lines.
 */
@Injectable()
export class LoadImagesUseCase {
  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  async execute(archive: Readable, platform?: Platform): Promise<JsonMessage[]> {
    const loaded = await readArchive(archive, this.store, platform ? { platform } : {});
    const lines: JsonMessage[] = [];
    for (const image of loaded.images) lines.push(...(await this.record(image)));
    return lines;
  }

  private async record(image: LoadedImage): Promise<JsonMessage[]> {
    const base = { id: image.configDigest, manifest: image.manifest, configJson: image.configJson };
    if (image.repoTags.length === 0) {
      await this.bus.send<RecordImageResultV1>(RECORD_IMAGE_V1, base);
      return [{ stream: `Loaded image ID: ${image.configDigest}\n` }];
    }
    const lines: JsonMessage[] = [];
    for (const tag of image.repoTags) {
      const previous = await this.bus
        .send<ImageRecord>(GET_IMAGE_V1, { ref: tag })
        .catch(() => undefined);
      await this.bus.send<RecordImageResultV1>(RECORD_IMAGE_V1, { ...base, tag });
      if (previous && previous.id !== image.configDigest && previous.repoTags.includes(tag)) {
        // Docker's words when a load moves a tag off another image (which stays, maybe dangling).
        lines.push({
          stream: `The image ${familiarRef(tag)} already exists, renaming the old one with ID ${previous.id} to empty string\n`,
        });
      }
      lines.push({ stream: `Loaded image: ${familiarRef(tag)}\n` });
    }
    return lines;
  }
}
