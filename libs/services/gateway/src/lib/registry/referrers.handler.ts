import { Inject, Injectable } from '@nestjs/common';
import {
  LIST_REFERRERS_V1,
  ReferrerListV1,
  RepositoryManifestRecord,
  UpstreamReferrerV1,
  UpstreamReferrersV1,
} from '@stevedore/contracts';
import { MediaType } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { RegistryContext, sendJson } from './registry-context';
import { REGISTRY_MISS, RegistryMiss } from './registry-miss';
import type { RegistryRoute } from './registry-route';
import { parseDigest } from './pull.handlers';

type Referrers = RegistryContext<Extract<RegistryRoute, { kind: 'referrers' }>>;

/**
 * ReferrersHandler is the referrers API (distribution spec 1.1): an OCI image index listing the
 * manifests of the repository whose `subject` is the digest asked about — empty when none —,
 * filtered by `artifactType` when asked (and saying so in `OCI-Filters-Applied`). Metadata
 * answers from its subject index; the subject itself need not exist. The miss hook adds what the
 * store lacks (a pull-through repository's upstream referrers).
 */
@Injectable()
export class ReferrersHandler {
  constructor(
    private readonly bus: Bus,
    @Inject(REGISTRY_MISS) private readonly miss: RegistryMiss,
  ) {}

  async handle(ctx: Referrers): Promise<void> {
    const subject = parseDigest(ctx.route.digest).toString();
    const artifactType = ctx.url.searchParams.get('artifactType') ?? undefined;
    const { repository } = ctx.route;
    const [stored, upstream] = await Promise.all([
      this.bus.send<ReferrerListV1>(LIST_REFERRERS_V1, { repository, subject, artifactType }),
      this.miss.referrers?.(repository, subject, artifactType),
    ]);
    const index = {
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: merged(stored.manifests.map(descriptorOf), upstream, artifactType),
    };
    const headers: Record<string, string> = { 'content-type': MediaType.OciIndex };
    if (artifactType !== undefined) headers['oci-filters-applied'] = 'artifactType';
    sendJson(ctx.res, 200, index, headers);
  }
}

/**
 * merged adds the upstream's referrers to the stored ones, each digest once (a referrer pulled
 * through is both), filtering them by `artifactType` where the upstream did not.
 */
function merged(
  stored: UpstreamReferrerV1[],
  upstream: UpstreamReferrersV1 | undefined,
  artifactType: string | undefined,
): UpstreamReferrerV1[] {
  const seen = new Set(stored.map((d) => d.digest));
  const all = [...stored];
  for (const d of upstream?.manifests ?? []) {
    const wanted =
      artifactType === undefined || upstream?.filtered || d.artifactType === artifactType;
    if (!wanted || seen.has(d.digest)) continue;
    seen.add(d.digest);
    all.push(d);
  }
  return all;
}

function descriptorOf(record: RepositoryManifestRecord): UpstreamReferrerV1 {
  return {
    mediaType: record.mediaType,
    digest: record.digest,
    size: record.size,
    ...(record.artifactType === undefined ? {} : { artifactType: record.artifactType }),
    ...(record.annotations === undefined ? {} : { annotations: record.annotations }),
  };
}
