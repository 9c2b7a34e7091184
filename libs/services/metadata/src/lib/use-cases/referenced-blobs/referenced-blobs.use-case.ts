import { Inject, Injectable } from '@nestjs/common';
import type { ReferencedBlobsResultV1, ReferencedBlobsV1 } from '@stevedore/contracts';
import { METADATA_STORE, MetadataStore } from '@stevedore/metadata-store';

/** ReferencedBlobsUseCase answers which of the given digests some image still refers to (GC's question). */
@Injectable()
export class ReferencedBlobsUseCase {
  constructor(@Inject(METADATA_STORE) private readonly store: MetadataStore) {}

  async execute(command: ReferencedBlobsV1): Promise<ReferencedBlobsResultV1> {
    return { referenced: await this.store.referencedBlobs(command.digests) };
  }
}
