import { Injectable } from '@nestjs/common';
import { RemoveImagesUseCase } from '../../use-cases/remove-images/remove-images.use-case';
import { GET_IMAGE_V1, ImageRecord } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import type { DeleteResponseItem } from '../engine-types';
import { imageEvent } from '../events/engine-event';
import { EventLog } from '../events/event-log';

/** RemoveImageCommand is `DELETE /images/{name}?force` (`noprune` has nothing to keep in this store). */
export interface RemoveImageCommand {
  name: string;
  force: boolean;
}

/**
 * RemoveImageUseCase is `docker rmi`: the shared removal (Docker's untag/delete rules in metadata,
 * 404 and 409 with Docker's messages, then garbage collection), answered as the Engine API's
 * `Untagged`/`Deleted` items in order.
 */
@Injectable()
export class RemoveImageUseCase {
  constructor(
    private readonly removal: RemoveImagesUseCase,
    private readonly bus: Bus,
    private readonly events: EventLog,
  ) {}

  async execute(command: RemoveImageCommand): Promise<DeleteResponseItem[]> {
    // Untag events name the image (moby), which the removal's answer does not: look it up first.
    const image = await this.bus
      .send<ImageRecord>(GET_IMAGE_V1, { ref: command.name })
      .catch(() => undefined);
    const removed = await this.removal.execute({ refs: [command.name], force: command.force });
    for (const item of removed.items) {
      const id = 'Deleted' in item ? item.Deleted : (image?.id ?? item.Untagged);
      const action = 'Deleted' in item ? 'delete' : 'untag';
      this.events.publish(imageEvent(action, id, id, image?.labels));
    }
    return removed.items;
  }
}
