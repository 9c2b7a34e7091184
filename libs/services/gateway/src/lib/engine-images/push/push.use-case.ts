import { Injectable } from '@nestjs/common';
import { Observable, concat, concatMap, defer, from, mergeMap, of, tap } from 'rxjs';
import {
  GET_IMAGE_V1,
  ImageListV1,
  ImageRecord,
  LIST_IMAGES_V1,
  PUSH_IMAGE_V1,
  PushEventV1,
} from '@stevedore/contracts';
import { DomainError, Reference, parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import type { JsonMessage } from '../engine-types';
import { imageEvent } from '../events/engine-event';
import { EventLog } from '../events/event-log';
import { shortLayerId } from '../pull/pull-progress';

/** EnginePushCommand is `POST /images/{name}/push?tag` with its `X-Registry-Auth`. */
export interface EnginePushCommand {
  name: string;
  tag?: string;
  registryAuth?: string;
}

/** How long a push may stay silent (a large layer between two progress events). */
const PUSH_IDLE_TIMEOUT_MS = 300_000;

/**
 * PushUseCase is `docker push`: one tag, or every local tag of the repository when none is given
 * (`-a`). A missing image is told in the stream after `The push refers to repository`, as dockerd
 * 20.10 does (the CLI prints that line, then the error, and exits 1); the exporter does the pushing and
 * its events are rendered as Docker's push stream (Preparing, Pushing, Pushed / Layer already
 * exists / Mounted from, then `<tag>: digest: … size: …` and the `aux` result).
 */
@Injectable()
export class PushUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly events: EventLog,
  ) {}

  execute(command: EnginePushCommand): Observable<JsonMessage> {
    return defer(() => {
      // A bad name is an HTTP error; a missing image is told in-stream after the first line, as dockerd does.
      const repository = parseReference(command.name).repository().normalized();
      return concat(
        of<JsonMessage>({ status: `The push refers to repository [${repository.name}]` }),
        from(this.targets(repository, command.tag)).pipe(
          mergeMap((images) => from(images)),
          concatMap(([target, image]) => this.pushOne(target, image, command.registryAuth)),
        ),
      );
    });
  }

  /**
   * targets are the tags to push with their images: dockerd first wants some local tag of the
   * repository (else `An image does not exist locally with the tag: <name>`), then the one asked
   * for (`tag does not exist: <name:tag>`).
   */
  private async targets(
    repository: Reference,
    tag: string | undefined,
  ): Promise<[Reference, ImageRecord][]> {
    const local = await this.localReferences(repository);
    if (!local.any)
      throw DomainError.notFound(
        `An image does not exist locally with the tag: ${repository.familiarName()}`,
      );
    const tags = tag ? [repository.withTag(tag).toString()] : local.tags;
    const images: [Reference, ImageRecord][] = [];
    for (const wanted of tags) {
      const image = await this.bus
        .send<ImageRecord>(GET_IMAGE_V1, { ref: wanted })
        .catch(() => undefined);
      if (!image || !image.repoTags.includes(wanted))
        throw DomainError.notFound(`tag does not exist: ${parseReference(wanted).familiar()}`);
      images.push([parseReference(wanted), image]);
    }
    return images;
  }

  /** localReferences are the repository's local tags (sorted) and whether it has any reference, a digest one included. */
  private async localReferences(repository: Reference): Promise<{ tags: string[]; any: boolean }> {
    const { images } = await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    const ofRepository = (ref: string) =>
      ref.startsWith(`${repository.name}:`) || ref.startsWith(`${repository.name}@`);
    const tags = images
      .flatMap((i) => i.repoTags)
      .filter(ofRepository)
      .sort();
    const any = tags.length > 0 || images.some((i) => i.repoDigests.some(ofRepository));
    return { tags, any };
  }

  private pushOne(
    target: Reference,
    image: ImageRecord,
    registryAuth: string | undefined,
  ): Observable<JsonMessage> {
    const manifest = image.manifests[0];
    if (!manifest)
      return defer(() => {
        throw DomainError.unsupported(`${target.familiar()} has no stored manifest to push`);
      });
    const layers = new Set<string>();
    const events = this.bus.stream<PushEventV1>(
      PUSH_IMAGE_V1,
      {
        target: target.toString(),
        // The platform manifest as pulled (an index's other platforms are not here to push).
        manifestDigest: manifest.digest,
        manifestMediaType: manifest.mediaType,
        ...(image.repoDigests[0] ? { origin: image.repoDigests[0] } : {}),
        ...(registryAuth ? { registryAuth } : {}),
      },
      { timeoutMs: PUSH_IDLE_TIMEOUT_MS },
    );
    return events.pipe(
      tap((event) => {
        if (event.type !== 'pushed') return;
        const ref = target.normalized();
        this.events.publish(imageEvent('push', ref.familiar(), ref.familiarName(), image.labels));
      }),
      concatMap((event) => from(render(event, target, layers))),
    );
  }
}

/** render turns one exporter event into Docker's push messages; `layers` remembers which digests are layers. */
export function render(event: PushEventV1, target: Reference, layers: Set<string>): JsonMessage[] {
  switch (event.type) {
    case 'layers':
      event.digests.forEach((d) => layers.add(d));
      return event.digests.map((d) => ({
        status: 'Preparing',
        progressDetail: {},
        id: shortLayerId(d),
      }));
    case 'pushing':
      return layers.has(event.digest)
        ? [
            {
              status: 'Pushing',
              progressDetail: { current: event.current, total: event.total },
              id: shortLayerId(event.digest),
            },
          ]
        : [];
    case 'blob': {
      if (!layers.has(event.digest)) return [];
      const status =
        event.outcome === 'exists'
          ? 'Layer already exists'
          : event.outcome === 'mounted'
            ? `Mounted from ${event.from ?? 'another repository'}`
            : 'Pushed';
      return [{ status, progressDetail: {}, id: shortLayerId(event.digest) }];
    }
    case 'pushed': {
      const tag = target.tag ?? 'latest';
      return [
        { status: `${tag}: digest: ${event.digest} size: ${event.size}` },
        { progressDetail: {}, aux: { Tag: tag, Digest: event.digest, Size: event.size } },
      ];
    }
  }
}
