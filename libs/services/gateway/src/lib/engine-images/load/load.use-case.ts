import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { LoadArchiveV1, LoadResultV1 } from '@stevedore/contracts';
import { ARCHIVES, Archives } from '@stevedore/exporter-http';
import type { JsonMessage } from '../engine-types';
import { imageEvent } from '../events/engine-event';
import { EventLog } from '../events/event-log';
import { familiarRef } from '../mapping/familiar';

/**
 * LoadImagesUseCase is `docker load` at the edge: the archive streams to the exporter, which reads,
 * verifies, stores and records it; the answer becomes Docker's `Loaded image…` lines.
 */
@Injectable()
export class LoadImagesUseCase {
  constructor(
    @Inject(ARCHIVES) private readonly archives: Archives,
    private readonly events: EventLog,
  ) {}

  async execute(
    archive: Readable,
    request: LoadArchiveV1,
    signal?: AbortSignal,
  ): Promise<JsonMessage[]> {
    const result = await this.archives.load(archive, request, signal);
    for (const { id } of result.images) this.events.publish(imageEvent('load', id, id));
    return loadedLines(result);
  }
}

/** loadedLines words a load as Docker does, the rename line first when a tag moved off another image. */
function loadedLines({ images }: LoadResultV1): JsonMessage[] {
  return images.flatMap(({ id, tags }) =>
    tags.length === 0
      ? [{ stream: `Loaded image ID: ${id}\n` }]
      : tags.flatMap(({ tag, previousImageId }) => [
          ...(previousImageId
            ? [
                {
                  stream: `The image ${familiarRef(tag)} already exists, renaming the old one with ID ${previousImageId} to empty string\n`,
                },
              ]
            : []),
          { stream: `Loaded image: ${familiarRef(tag)}\n` },
        ]),
  );
}
