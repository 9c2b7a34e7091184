import { Inject, Injectable } from '@nestjs/common';
import type {
  GetManifestResultV1,
  GetManifestV1,
  ListManifestTagsV1,
  ListReferrersV1,
  ManifestTagListV1,
  RecordManifestV1,
  ReferrerListV1,
  RemoveManifestResultV1,
  RemoveManifestV1,
  UntagManifestResultV1,
  UntagManifestV1,
} from '@stevedore/contracts';
import { METADATA_STORE, MetadataStore } from '@stevedore/metadata-store';

/** RecordManifestUseCase keeps a manifest `/v2/` stores beside images (an artifact, or one with a subject). */
@Injectable()
export class RecordManifestUseCase {
  constructor(@Inject(METADATA_STORE) private readonly store: MetadataStore) {}

  async execute(request: RecordManifestV1): Promise<void> {
    const { tag, ...record } = request;
    await this.store.putManifest(record, tag);
  }
}

/** GetManifestUseCase reads one repository manifest; an absent one is an empty answer, not an error. */
@Injectable()
export class GetManifestUseCase {
  constructor(@Inject(METADATA_STORE) private readonly store: MetadataStore) {}

  async execute(request: GetManifestV1): Promise<GetManifestResultV1> {
    const manifest = await this.store.getManifest(request.repository, request.digest);
    return manifest ? { manifest } : {};
  }
}

/** ListReferrersUseCase answers the referrers API's question from the subject index. */
@Injectable()
export class ListReferrersUseCase {
  constructor(@Inject(METADATA_STORE) private readonly store: MetadataStore) {}

  async execute(request: ListReferrersV1): Promise<ReferrerListV1> {
    const { repository, subject, artifactType } = request;
    return { manifests: await this.store.listReferrers(repository, subject, artifactType) };
  }
}

/** RemoveManifestUseCase forgets a repository manifest; its blobs are left to garbage collection. */
@Injectable()
export class RemoveManifestUseCase {
  constructor(@Inject(METADATA_STORE) private readonly store: MetadataStore) {}

  async execute(request: RemoveManifestV1): Promise<RemoveManifestResultV1> {
    return { removed: await this.store.deleteManifest(request.repository, request.digest) };
  }
}

/** ListManifestTagsUseCase lists the tags on artifacts, of one repository or of all. */
@Injectable()
export class ListManifestTagsUseCase {
  constructor(@Inject(METADATA_STORE) private readonly store: MetadataStore) {}

  async execute(request: ListManifestTagsV1): Promise<ManifestTagListV1> {
    return { tags: await this.store.listManifestTags(request.repository) };
  }
}

/** UntagManifestUseCase removes a tag from an artifact; the artifact stays, by digest. */
@Injectable()
export class UntagManifestUseCase {
  constructor(@Inject(METADATA_STORE) private readonly store: MetadataStore) {}

  async execute(request: UntagManifestV1): Promise<UntagManifestResultV1> {
    return { removed: await this.store.untagManifest(request.repository, request.tag) };
  }
}

export const REPOSITORY_MANIFEST_USE_CASES = [
  ListManifestTagsUseCase,
  UntagManifestUseCase,
  RecordManifestUseCase,
  GetManifestUseCase,
  ListReferrersUseCase,
  RemoveManifestUseCase,
];
