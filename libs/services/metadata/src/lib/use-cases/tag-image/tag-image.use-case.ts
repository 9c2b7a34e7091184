import { Inject, Injectable } from '@nestjs/common';
import type { ImageRecord, TagImageV1 } from '@stevedore/contracts';
import { DomainError, assertTagTarget, parseReference } from '@stevedore/domain';
import { METADATA_STORE, MetadataStore } from '@stevedore/metadata-store';
import { Clock } from '../../support/clock';

/**
 * TagImageUseCase points a tag at image `id` (`docker tag`): the tag is normalised (`latest` by
 * default), refused with Docker's messages when it carries a digest or is named `sha256`, moved
 * off any other image, and the image's `lastTagTime` set. Answers the tagged image; NOT_FOUND
 * `No such image: <id>` when there is no such image.
 */
@Injectable()
export class TagImageUseCase {
  constructor(
    @Inject(METADATA_STORE) private readonly store: MetadataStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: TagImageV1): Promise<ImageRecord> {
    const tag = assertTagTarget(parseReference(command.tag)).normalized().toString();
    await this.store.setTag(command.id, tag, this.clock.now().toISOString());
    const image = await this.store.getImage(command.id);
    // Deleted between the two calls: report what the caller would see a moment later.
    if (!image) throw DomainError.notFound(`No such image: ${command.id}`, { id: command.id });
    return image;
  }
}
