import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DistributionInspectV1,
  HEAD_MANIFEST_V1,
  HeadManifestV1,
  INSPECT_DISTRIBUTION_V1,
  InspectDistributionV1,
  LIST_UPSTREAM_REFERRERS_V1,
  ListUpstreamReferrersV1,
  ManifestHeadV1,
  REGISTRY_CONFIG_V1,
  RegistryConfigV1,
  UpstreamReferrersV1,
} from '@stevedore/contracts';
import { HeadManifestUseCase } from './use-cases/head-manifest/head-manifest.use-case';
import { ListReferrersUseCase } from './use-cases/list-referrers/list-referrers.use-case';
import { InspectDistributionUseCase } from './use-cases/inspect-distribution/inspect-distribution.use-case';
import { RegistryConfigUseCase } from './use-cases/registry-config/registry-config.use-case';

/**
 * DistributionHandler answers registry-side inspections (`GET /distribution/{name}/json`) and what
 * the registry settings are (`docker info`'s RegistryConfig), what a tag names upstream now, and
 * which manifests refer to a digest there.
 */
@Controller()
export class DistributionHandler {
  constructor(
    private readonly inspect: InspectDistributionUseCase,
    private readonly config: RegistryConfigUseCase,
    private readonly head: HeadManifestUseCase,
    private readonly referrers: ListReferrersUseCase,
  ) {}

  @MessagePattern(REGISTRY_CONFIG_V1)
  registryConfig(): RegistryConfigV1 {
    return this.config.execute();
  }

  @MessagePattern(INSPECT_DISTRIBUTION_V1)
  inspectDistribution(@Payload() request: InspectDistributionV1): Promise<DistributionInspectV1> {
    return this.inspect.execute(request);
  }

  @MessagePattern(HEAD_MANIFEST_V1)
  headManifest(@Payload() request: HeadManifestV1): Promise<ManifestHeadV1> {
    return this.head.execute(request);
  }

  @MessagePattern(LIST_UPSTREAM_REFERRERS_V1)
  listReferrers(@Payload() request: ListUpstreamReferrersV1): Promise<UpstreamReferrersV1> {
    return this.referrers.execute(request);
  }
}
