import { Inject, Injectable } from '@nestjs/common';
import { imageHoldsManifest } from '@stevedore/contracts';
import type { RecordPresentImageResultV1, RecordPresentImageV1 } from '@stevedore/contracts';
import { isDomainError } from '@stevedore/domain';
import { METADATA_STORE, MetadataStore } from '@stevedore/metadata-store';
import { RecordImageUseCase } from './record-image.use-case';

/**
 * RecordPresentImageUseCase is the record of a pull that found nothing new: when image `id` is
 * stored with this manifest (and index) already, every blob the pull names is one the image
 * holds, so it records the tag and repo digest as {@link RecordImageUseCase} does, with the
 * config it keeps (verified again against the id). Otherwise it changes nothing, and the pull
 * goes the long way: holds, downloads, then a full record.
 */
@Injectable()
export class RecordPresentImageUseCase {
  constructor(
    @Inject(METADATA_STORE) private readonly store: MetadataStore,
    private readonly record: RecordImageUseCase,
  ) {}

  async execute(command: RecordPresentImageV1): Promise<RecordPresentImageResultV1> {
    const image = await this.store.getImage(command.id);
    if (!image || !imageHoldsManifest(image, command.manifest)) return { present: false };
    const request = {
      id: command.id,
      manifest: command.manifest,
      configJson: image.configJson,
      ...(command.tag !== undefined ? { tag: command.tag } : {}),
      ...(command.repoDigest !== undefined ? { repoDigest: command.repoDigest } : {}),
    };
    // Checked again where it is written: an image removed since it was read (and its blobs
    // collected) must not come back.
    return this.record.execute(request, true).then(
      (recorded) => ({ present: true, ...recorded }),
      (err: unknown) => {
        if (isDomainError(err) && err.code === 'NOT_FOUND') return { present: false };
        throw err;
      },
    );
  }
}
