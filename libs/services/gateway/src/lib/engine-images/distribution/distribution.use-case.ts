import { Injectable } from '@nestjs/common';
import { DistributionInspectV1, INSPECT_DISTRIBUTION_V1 } from '@stevedore/contracts';
import { DomainError, parseImageIdOrReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';

/** DistributionInspect is dockerd's `GET /distribution/{name}/json` answer. */
export interface DistributionInspect {
  Descriptor: DistributionInspectV1['descriptor'];
  Platforms: DistributionInspectV1['platforms'];
}

/** Registries can be slow; this matches the other resolver round trips that reach upstream. */
const INSPECT_TIMEOUT_MS = 60_000;

/**
 * InspectDistributionUseCase is `docker-py`'s `get_registry_data` / dockerode's `distribution()`:
 * the resolver reads the registry (with `X-Registry-Auth` or the stored credentials), the gateway
 * only refuses what dockerd refuses before going there and shapes the answer.
 */
@Injectable()
export class InspectDistributionUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(name: string, registryAuth: string | undefined): Promise<DistributionInspect> {
    // dockerd takes a bare 64-hex name or digest for an image ID, which has no registry to ask (a 500 there).
    if (parseImageIdOrReference(name).kind === 'id')
      throw DomainError.internal('no manifest found for full image ID');
    const answer = await this.bus.send<DistributionInspectV1>(
      INSPECT_DISTRIBUTION_V1,
      { reference: name, ...(registryAuth ? { registryAuth } : {}) },
      { timeoutMs: INSPECT_TIMEOUT_MS },
    );
    return { Descriptor: answer.descriptor, Platforms: answer.platforms };
  }
}
