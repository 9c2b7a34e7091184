import { Injectable } from '@nestjs/common';
import { ContainerJsonV1, INSPECT_CONTAINER_V1, InspectContainerV1 } from '@stevedore/contracts';
import { DomainError, isDomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { containerInspectForVersion } from '../mapping/container-versions';
import {
  RUNTIME_SIZES_TIMEOUT_MS,
  RUNTIME_USAGE_TIMEOUT_MS,
} from '../../use-cases/runtime-usage/runtime-usage';

/** The container references the runtime can hold (ContainerRefV1's pattern); others are unknown. */
const CONTAINER_REF = /^\/?[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;

/**
 * InspectContainerUseCase is `GET /containers/{id}/json?size`, shaped for the client's API
 * version. Type-less `docker inspect <image>` asks here first and needs a 404 to move on, so a
 * name no container can have (an image name with `/` or `:`) and an unreachable runtime (a
 * cluster without one) are both `No such container: <name>`.
 */
@Injectable()
export class InspectContainerUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(id: string, version: string, size: boolean): Promise<ContainerJsonV1> {
    const missing = DomainError.notFound(`No such container: ${id}`);
    if (!CONTAINER_REF.test(id)) throw missing;
    // `size` only when asked: a plain inspect is a bare reference.
    const ref: InspectContainerV1 = size ? { id, size } : { id };
    const timeoutMs = size ? RUNTIME_SIZES_TIMEOUT_MS : RUNTIME_USAGE_TIMEOUT_MS;
    try {
      const c = await this.bus.send<ContainerJsonV1>(INSPECT_CONTAINER_V1, ref, { timeoutMs });
      return containerInspectForVersion(c, version, size);
    } catch (err) {
      if (isDomainError(err) && err.code === 'UNAVAILABLE') throw missing;
      throw err;
    }
  }
}
