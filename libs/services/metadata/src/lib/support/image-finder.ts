import { Inject, Injectable } from '@nestjs/common';
import type { ImageRecord } from '@stevedore/contracts';
import { DomainError, parseImageIdOrReference } from '@stevedore/domain';
import { METADATA_STORE, MetadataStore } from '@stevedore/metadata-store';

/**
 * ImageFinder resolves what a user typed to one image in Docker's order: a full ID (`sha256:…` or
 * 64 hex), then a reference (`name:tag` → tag, `name@digest` → repo digest), then an ID prefix.
 */
@Injectable()
export class ImageFinder {
  constructor(@Inject(METADATA_STORE) private readonly store: MetadataStore) {}

  /**
   * find returns the image `input` names. Throws INVALID_ARGUMENT when `input` is neither an ID nor
   * a reference, and NOT_FOUND `No such image: <input>` when no image — or, as in Docker's image
   * store, more than one image (an ambiguous ID prefix) — matches.
   */
  async find(input: string): Promise<ImageRecord> {
    const lookup = parseImageIdOrReference(input);
    if (lookup.kind === 'id')
      return found(await this.store.getImage(lookup.digest.toString()), input);
    const reference = lookup.reference.normalized();
    const named = reference.digest
      ? await this.store.findImageByRepoDigest(reference.toString())
      : await this.store.findImageByTag(reference.toString());
    if (named || lookup.idPrefix === undefined) return found(named, input);
    const matches = await this.store.findImagesByIdPrefix(`sha256:${lookup.idPrefix}`);
    if (matches.length > 1)
      throw DomainError.notFound(`No such image: ${input}`, { input, ambiguous: matches.length });
    return found(matches[0], input);
  }
}

/** isImageIdPrefix tells whether `input` is a prefix of `id`, with or without its `sha256:` (Docker's test for "rmi by ID"). */
export function isImageIdPrefix(id: string, input: string): boolean {
  return id.startsWith(input) || id.slice(id.indexOf(':') + 1).startsWith(input);
}

function found(image: ImageRecord | undefined, input: string): ImageRecord {
  if (!image) throw DomainError.notFound(`No such image: ${input}`, { input });
  return image;
}
