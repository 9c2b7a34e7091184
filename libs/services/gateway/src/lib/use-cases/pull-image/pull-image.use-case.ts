import { Injectable } from '@nestjs/common';
import { Observable, concatMap, defer, from, of } from 'rxjs';
import {
  GET_IMAGE_V1,
  ImageRecord,
  PULL_IMAGE_V1,
  PullEventV1,
  PullImageV1,
  RECORD_PRESENT_IMAGE_V1,
  RESOLVE_REFERENCE_V1,
  RecordPresentImageResultV1,
  RecordPresentImageV1,
  ResolvedImageV1,
  imageHoldsManifest,
  recordPresentRequest,
  resolvedPullEvent,
} from '@stevedore/contracts';
import { parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';

/** What a pull reports, in order: where the reference resolved, each blob's progress, the image. */
export type PullEvent = PullEventV1;

/** The longest silence allowed while a pull runs (resolving, then progress events keep it alive). */
const PULL_IDLE_TIMEOUT_MS = 300_000;
/** How long a resolution may take (registry round trips and token fetches). */
const RESOLVE_TIMEOUT_MS = 120_000;

/** What the pull of an image stored already reports, or nothing when something is missing. */
interface Warm {
  resolved: ResolvedImageV1;
  events?: PullEvent[];
}

/**
 * PullImageUseCase resolves the reference (resolver) and settles a pull of an image stored
 * already itself (metadata): a re-pull, the common case, costs the registry's answer and no
 * fetcher. Anything missing is handed to a fetcher with the resolution (see the fetcher's
 * PullImageUseCase), which downloads and records the image, its events streamed back as they come.
 */
@Injectable()
export class PullImageUseCase {
  constructor(private readonly bus: Bus) {}

  execute(command: PullImageV1): Observable<PullEvent> {
    return defer(() => from(this.warm(command))).pipe(
      concatMap(({ resolved, events }) =>
        events
          ? of(...events)
          : this.bus.stream<PullEvent>(
              PULL_IMAGE_V1,
              { ...command, resolved },
              { timeoutMs: PULL_IDLE_TIMEOUT_MS },
            ),
      ),
    );
  }

  /**
   * warm resolves the reference and, when the image is stored with what it resolved to, records
   * it under the pull's names. The image the name points at is looked up while the registry
   * answers: when the name and its digest point at that image already, nothing changes, and
   * nothing is written (dockerd's "Image is up to date").
   */
  private async warm(command: PullImageV1): Promise<Warm> {
    const ref = parseReference(command.reference);
    const named = this.bus
      .send<ImageRecord>(GET_IMAGE_V1, { ref: ref.normalized().toString() })
      .catch(() => undefined);
    const resolved = await this.resolve(command);
    const request = recordPresentRequest(ref, resolved);
    const image = await named;
    if (image && upToDate(image, request))
      return { resolved, events: [resolvedPullEvent(resolved), pulled(image, false)] };
    const recorded = await this.bus.send<RecordPresentImageResultV1>(
      RECORD_PRESENT_IMAGE_V1,
      request,
    );
    if (!recorded.present) return { resolved };
    return {
      resolved,
      events: [resolvedPullEvent(resolved), pulled(recorded.image, recorded.changed)],
    };
  }

  private resolve(command: PullImageV1): Promise<ResolvedImageV1> {
    const { reference, platform, registryAuth } = command;
    const request = {
      reference,
      ...(platform ? { platform } : {}),
      ...(registryAuth ? { registryAuth } : {}),
    };
    return this.bus.send<ResolvedImageV1>(RESOLVE_REFERENCE_V1, request, {
      timeoutMs: RESOLVE_TIMEOUT_MS,
    });
  }
}

/** upToDate tells whether recording `request` would change nothing about `image`. */
function upToDate(image: ImageRecord, request: RecordPresentImageV1): boolean {
  return (
    image.id === request.id &&
    imageHoldsManifest(image, request.manifest) &&
    (request.tag === undefined || image.repoTags.includes(request.tag)) &&
    (request.repoDigest === undefined || image.repoDigests.includes(request.repoDigest))
  );
}

function pulled(image: ImageRecord, changed: boolean): PullEvent {
  return { type: 'image', image, changed };
}
