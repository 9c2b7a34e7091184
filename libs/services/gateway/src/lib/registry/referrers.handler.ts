import { Injectable } from '@nestjs/common';
import { LIST_REFERRERS_V1, ReferrerListV1, RepositoryManifestRecord } from '@stevedore/contracts';
import { MediaType } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { RegistryContext, sendJson } from './registry-context';
import type { RegistryRoute } from './registry-route';
import { parseDigest } from './pull.handlers';

type Referrers = RegistryContext<Extract<RegistryRoute, { kind: 'referrers' }>>;

/**
 * ReferrersHandler is the referrers API (distribution spec 1.1): an OCI image index listing the
 * manifests of the repository whose `subject` is the digest asked about — empty when none —,
 * filtered by `artifactType` when asked (and saying so in `OCI-Filters-Applied`). Metadata
 * answers from its subject index; the subject itself need not exist.
 */
@Injectable()
export class ReferrersHandler {
  constructor(private readonly bus: Bus) {}

  async handle(ctx: Referrers): Promise<void> {
    const subject = parseDigest(ctx.route.digest).toString();
    const artifactType = ctx.url.searchParams.get('artifactType') ?? undefined;
    const request = { repository: ctx.route.repository, subject, artifactType };
    const { manifests } = await this.bus.send<ReferrerListV1>(LIST_REFERRERS_V1, request);
    const index = {
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: manifests.map(descriptorOf),
    };
    const headers: Record<string, string> = { 'content-type': MediaType.OciIndex };
    if (artifactType !== undefined) headers['oci-filters-applied'] = 'artifactType';
    sendJson(ctx.res, 200, index, headers);
  }
}

function descriptorOf(record: RepositoryManifestRecord) {
  return {
    mediaType: record.mediaType,
    digest: record.digest,
    size: record.size,
    ...(record.artifactType === undefined ? {} : { artifactType: record.artifactType }),
    ...(record.annotations === undefined ? {} : { annotations: record.annotations }),
  };
}
