import { Injectable } from '@nestjs/common';
import type { ListTagsV1, TagListV1 } from '@stevedore/contracts';
import { DomainError, parseReference } from '@stevedore/domain';
import { RegistryClient, clientForRequest } from '@stevedore/registry-client';

/** More tags than this is a repository no one pulls whole; refusing beats a reply too big for the bus. */
export const MAX_TAGS = 10_000;

/** ListTagsUseCase lists a repository's tags through the registry client (paginated, authenticated). */
@Injectable()
export class ListTagsUseCase {
  constructor(private readonly registry: RegistryClient) {}

  async execute(request: ListTagsV1): Promise<TagListV1> {
    const ref = parseReference(request.repository);
    if (ref.tag !== undefined || ref.digest !== undefined) {
      throw DomainError.invalidArgument(
        `${request.repository}: a repository to list has no tag or digest`,
      );
    }
    const client = clientForRequest(this.registry, ref.domain, request.registryAuth);
    const tags: string[] = [];
    for await (const tag of client.tags(ref)) {
      if (tags.length === MAX_TAGS)
        throw DomainError.unsupported(
          `${ref.name} has more than ${MAX_TAGS} tags; pull them by name`,
        );
      tags.push(tag);
    }
    return { repository: ref.name, tags };
  }
}
