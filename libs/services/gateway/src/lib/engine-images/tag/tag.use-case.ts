import { Injectable } from '@nestjs/common';
import { GET_IMAGE_V1, ImageRecord, TAG_IMAGE_V1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { imageEvent } from '../events/engine-event';
import { EventLog } from '../events/event-log';
import { tagTarget } from './tag-target';

/** TagImageCommand is `POST /images/{name}/tag?repo&tag`: the source as typed, the target's parts. */
export interface TagImageCommand {
  name: string;
  repo?: string;
  tag?: string;
}

/**
 * TagImageUseCase is `docker tag`: it validates the target first (400 with Docker's message), finds
 * the source image (404 `No such image: <name>`), then points the fully qualified tag at it.
 */
@Injectable()
export class TagImageUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly events: EventLog,
  ) {}

  async execute(command: TagImageCommand): Promise<void> {
    const target = tagTarget(command.repo, command.tag);
    const image = await this.bus.send<ImageRecord>(GET_IMAGE_V1, {
      ref: command.name,
    });
    await this.bus.send<ImageRecord>(TAG_IMAGE_V1, {
      id: image.id,
      tag: target.toString(),
    });
    this.events.publish(imageEvent('tag', image.id, target.familiar(), image.labels));
  }
}
