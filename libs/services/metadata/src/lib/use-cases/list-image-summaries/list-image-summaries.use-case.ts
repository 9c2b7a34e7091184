import { Inject, Injectable } from '@nestjs/common';
import type { ImageSummaryListV1, ListImageSummariesV1 } from '@stevedore/contracts';
import { METADATA_STORE, MetadataStore } from '@stevedore/metadata-store';

/**
 * ListImageSummariesUseCase returns every image's summary columns, newest first, under the
 * listing's version; a caller that already holds the current version gets `unchanged` instead,
 * and one holding an older version the changes since, when the store can tell them.
 * Filters are the caller's business.
 */
@Injectable()
export class ListImageSummariesUseCase {
  constructor(@Inject(METADATA_STORE) private readonly store: MetadataStore) {}

  async execute(request: ListImageSummariesV1 = {}): Promise<ImageSummaryListV1> {
    // The version is read before the images: a write in between leaves the version behind the
    // images (the next request reads them again), never images behind their version.
    const version = await this.store.listingVersion();
    if (version === undefined) return { images: await this.store.listImageSummaries() };
    const known = request.knownVersion;
    if (known === version) return { images: [], version, unchanged: true };
    const changes = known === undefined ? undefined : await this.store.listingChangesSince(known);
    if (changes) {
      const { changed, removed } = changes;
      return { images: changed, removed, since: known, version: changes.version };
    }
    return { images: await this.store.listImageSummaries(), version };
  }
}
