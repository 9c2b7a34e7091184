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
 * (`-a`). Missing images are a 404 before anything is streamed; the exporter does the pushing and
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
    return defer(() => from(this.targets(command))).pipe(
      mergeMap(({ repository, images }) =>
        concat(
          of<JsonMessage>({ status: `The push refers to repository [${repository.name}]` }),
          from(images).pipe(
            concatMap(([target, image]) => this.pushOne(target, image, command.registryAuth)),
          ),
        ),
      ),
    );
  }

  private async targets(
    command: EnginePushCommand,
  ): Promise<{ repository: Reference; images: [Reference, ImageRecord][] }> {
    const repository = parseReference(command.name).repository().normalized();
    const tags = command.tag
      ? [repository.withTag(command.tag).toString()]
      : await this.localTags(repository);
    const images: [Reference, ImageRecord][] = [];
    for (const tag of tags) {
      const image = await this.bus
        .send<ImageRecord>(GET_IMAGE_V1, { ref: tag })
        .catch(() => undefined);
      if (!image || !image.repoTags.includes(tag)) {
        throw DomainError.notFound(
          `An image does not exist locally with the tag: ${parseReference(tag).familiar()}`,
        );
      }
      images.push([parseReference(tag), image]);
    }
    if (images.length === 0)
      throw DomainError.notFound(
        `An image does not exist locally with the tag: ${repository.familiarName()}`,
      );
    return { repository, images };
  }

  private async localTags(repository: Reference): Promise<string[]> {
    const { images } = await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    return images
      .flatMap((i) => i.repoTags)
      .filter((t) => t.startsWith(`${repository.name}:`))
      .sort();
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
