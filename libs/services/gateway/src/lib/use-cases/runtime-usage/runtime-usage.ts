import { Injectable } from '@nestjs/common';
import {
  ContainerJsonV1,
  IMAGES_IN_USE_V1,
  ImageUseV1,
  LIST_CONTAINERS_V1,
  RUNTIME_INFO_V1,
  RuntimeInfoV1,
} from '@stevedore/contracts';
import { isDomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';

/**
 * How long image commands wait for the runtime before treating it as absent. Short on purpose:
 * a cluster may run no runtime at all (images only), and `docker images`, `rmi`, `image prune`,
 * `system df` and `info` must then answer as if there were no containers instead of failing or
 * hanging for the bus's 30 s default.
 */
export const RUNTIME_USAGE_TIMEOUT_MS = 2_000;
/** Sizes walk every container's changes: `system df` waits longer for them, still bounded. */
export const RUNTIME_SIZES_TIMEOUT_MS = 10_000;
/**
 * rmi and image prune decide what to delete from the answer: they always ask (a merely slow
 * runtime taken for absent would let an image in use go), and wait a little longer.
 */
export const RUNTIME_DECISION_TIMEOUT_MS = 5_000;

/**
 * After an unanswered call, how long the image side takes the runtime for absent without asking:
 * in a cluster without one every `docker info` would otherwise wait out the timeout again.
 */
export const RUNTIME_ABSENT_MS = 30_000;

/** containersOf reads a LIST_CONTAINERS_V1 reply: `{containers}` (or a bare array). */
export function containersOf(reply: unknown): ContainerJsonV1[] {
  if (Array.isArray(reply)) return reply as ContainerJsonV1[];
  return (reply as { containers?: ContainerJsonV1[] } | null)?.containers ?? [];
}

/** usesOf reads an IMAGES_IN_USE_V1 reply: `{images}` (or a bare array). */
export function usesOf(reply: unknown): ImageUseV1[] {
  if (Array.isArray(reply)) return reply as ImageUseV1[];
  return (reply as { images?: ImageUseV1[] } | null)?.images ?? [];
}

/**
 * RuntimeUsage is what the image side asks the runtime: which images containers use, and the
 * containers themselves (counts and sizes). An unreachable runtime (UNAVAILABLE: no handler, no
 * answer in time) means no containers; any other failure is reported.
 */
@Injectable()
export class RuntimeUsage {
  /** Until when (unix ms) the runtime counts as absent; shared by every instance of this process. */
  private static absentUntil = 0;

  constructor(private readonly bus: Bus) {}

  /** forgetAbsence asks the runtime again on the next call (tests, and a runtime known to be back). */
  static forgetAbsence(): void {
    RuntimeUsage.absentUntil = 0;
  }

  /** imagesInUse maps image ID → the containers using it (asked every time: removals depend on it). */
  async imagesInUse(): Promise<Map<string, ImageUseV1['containers']>> {
    const reply = await this.orNothing(IMAGES_IN_USE_V1, {}, RUNTIME_DECISION_TIMEOUT_MS, false);
    return new Map(usesOf(reply).map((u) => [u.imageId, u.containers]));
  }

  /** containers lists every container (with sizes when `size`), for counts shown to the user. */
  async containers(size = false): Promise<ContainerJsonV1[]> {
    const timeoutMs = size ? RUNTIME_SIZES_TIMEOUT_MS : RUNTIME_USAGE_TIMEOUT_MS;
    const reply = await this.orNothing(LIST_CONTAINERS_V1, { all: true, size }, timeoutMs, true);
    return containersOf(reply);
  }

  /** info is what the host's runtime can do (`docker info`), undefined when there is none. */
  async info(): Promise<RuntimeInfoV1 | undefined> {
    const reply = await this.orNothing(RUNTIME_INFO_V1, {}, RUNTIME_USAGE_TIMEOUT_MS, true);
    return Array.isArray(reply) ? undefined : (reply as RuntimeInfoV1);
  }

  private async orNothing(
    pattern: string,
    payload: object,
    timeoutMs: number,
    mayAssumeAbsent: boolean,
  ): Promise<unknown> {
    if (mayAssumeAbsent && Date.now() < RuntimeUsage.absentUntil) return [];
    try {
      const reply = await this.bus.send<unknown>(pattern, payload, { timeoutMs });
      RuntimeUsage.absentUntil = 0;
      return reply;
    } catch (err) {
      if (!isDomainError(err) || err.code !== 'UNAVAILABLE') throw err;
      RuntimeUsage.absentUntil = Date.now() + RUNTIME_ABSENT_MS;
      return [];
    }
  }
}
