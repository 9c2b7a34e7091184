import { Inject, Injectable } from '@nestjs/common';
import type { ImageRecord, RemoveImageResultV1, RemoveImageV1 } from '@stevedore/contracts';
import { DomainError, Reference, parseReference } from '@stevedore/domain';
import { DeletedImage, METADATA_STORE, MetadataStore } from '@stevedore/metadata-store';
import { ImageFinder, isImageIdPrefix } from '../../support/image-finder';
import {
  familiar,
  isSingleReference,
  layerChainIds,
  releasedLayers,
  shortId,
} from './remove-image.rules';

type Item = RemoveImageResultV1['items'][number];

/**
 * RemoveImageUseCase is Docker's `rmi` (classic image store). By name: untag it (and the image's
 * digest references of that repository once no tag of it remains), then delete the image if no
 * reference is left (unless `keepImage`: a container uses it). By ID or ID prefix: with references in several repositories CONFLICT unless
 * `force`; otherwise untag everything and delete. Items come in Docker's order — `Untagged`
 * (familiar form), `Deleted: <id>`, then `Deleted: <ChainID>` per released layer, top first —
 * and `releasedBlobs` lists the deleted image's blobs that no remaining image refers to.
 */
@Injectable()
export class RemoveImageUseCase {
  constructor(
    private readonly finder: ImageFinder,
    @Inject(METADATA_STORE) private readonly store: MetadataStore,
  ) {}

  async execute(command: RemoveImageV1): Promise<RemoveImageResultV1> {
    const image = await this.finder.find(command.ref);
    if (!isImageIdPrefix(image.id, command.ref))
      return this.removeReference(command.ref, command.keepImage ?? false);
    return this.removeById(image, command.force ?? false);
  }

  private async removeReference(input: string, keepImage: boolean): Promise<RemoveImageResultV1> {
    const ref = parseReference(input).normalized();
    const imageId = ref.digest
      ? await this.store.removeRepoDigest(ref.toString())
      : await this.store.removeTag(ref.toString());
    if (imageId === undefined) throw DomainError.notFound(`No such image: ${input}`, { input });
    const items: Item[] = [{ Untagged: ref.familiar() }];
    if (!ref.digest) items.push(...(await this.dropDigestsOfRepository(imageId, ref)));
    if (keepImage) return { items, releasedBlobs: [] };
    const deleted = await this.store.deleteImage(imageId, { onlyIfUnreferenced: true });
    return deleted ? this.withDeletion(items, deleted) : { items, releasedBlobs: [] };
  }

  /** Once an image has no tag left in `ref`'s repository, its digest references there go too (Docker). */
  private async dropDigestsOfRepository(imageId: string, ref: Reference): Promise<Item[]> {
    const image = await this.store.getImage(imageId);
    if (!image || image.repoTags.some((tag) => parseReference(tag).name === ref.name)) return [];
    const items: Item[] = [];
    for (const digestRef of image.repoDigests.filter((d) => parseReference(d).name === ref.name)) {
      if ((await this.store.removeRepoDigest(digestRef)) !== undefined)
        items.push({ Untagged: familiar(digestRef) });
    }
    return items;
  }

  private async removeById(image: ImageRecord, force: boolean): Promise<RemoveImageResultV1> {
    const refs = [...image.repoTags, ...image.repoDigests];
    if (refs.length > 0 && !force && !isSingleReference(refs)) {
      throw DomainError.conflict(
        `conflict: unable to delete ${shortId(image.id)} (must be forced) - image is referenced in multiple repositories`,
        { id: image.id },
      );
    }
    const deleted = await this.store.deleteImage(image.id);
    if (!deleted) throw DomainError.notFound(`No such image: ${image.id}`, { id: image.id });
    return this.withDeletion(
      deleted.removedRefs.map((ref): Item => ({ Untagged: familiar(ref) })),
      deleted,
    );
  }

  private async withDeletion(items: Item[], deleted: DeletedImage): Promise<RemoveImageResultV1> {
    const chain = layerChainIds(deleted.image.configJson);
    const stillUsed = new Set(
      chain.length === 0
        ? []
        : (await this.store.listImages()).flatMap((i) => layerChainIds(i.configJson)),
    );
    const layers = releasedLayers(chain, stillUsed).map((id): Item => ({ Deleted: id }));
    return {
      items: [...items, { Deleted: deleted.image.id }, ...layers],
      releasedBlobs: deleted.releasedBlobs,
    };
  }
}
