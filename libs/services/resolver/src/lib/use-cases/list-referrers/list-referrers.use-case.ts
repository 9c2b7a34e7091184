import { Injectable } from '@nestjs/common';
import {
  ListUpstreamReferrersV1,
  UpstreamReferrerV1,
  UpstreamReferrersV1,
} from '@stevedore/contracts';
import { Descriptor, DomainError, parseReference } from '@stevedore/domain';
import { RegistryClient } from '@stevedore/registry-client';

/** More referrers than this is no list a pull-through answer carries over the bus. */
export const MAX_REFERRERS = 1_000;

/**
 * ListReferrersUseCase lists the manifests whose subject is a digest in its registry (mirrors first
 * for Docker Hub, the stored credentials): the referrers API, else its tag schema.
 */
@Injectable()
export class ListReferrersUseCase {
  constructor(private readonly registry: RegistryClient) {}

  async execute(request: ListUpstreamReferrersV1): Promise<UpstreamReferrersV1> {
    const ref = parseReference(request.reference);
    if (ref.digest === undefined)
      throw DomainError.invalidArgument(`${request.reference}: referrers need a subject digest`);
    const listed = await this.registry.referrers(ref, request.artifactType);
    if (listed.manifests.length > MAX_REFERRERS)
      throw DomainError.unsupported(`${ref.familiar()} has more than ${MAX_REFERRERS} referrers`);
    return { manifests: listed.manifests.map(referrerOf), filtered: listed.filtered };
  }
}

function referrerOf(d: Descriptor): UpstreamReferrerV1 {
  return {
    mediaType: d.mediaType,
    digest: d.digest.toString(),
    size: d.size,
    ...(d.artifactType === undefined ? {} : { artifactType: d.artifactType }),
    ...(d.annotations === undefined ? {} : { annotations: { ...d.annotations } }),
  };
}
