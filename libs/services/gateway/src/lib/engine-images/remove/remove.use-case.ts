import { Injectable } from '@nestjs/common';
import {
  DELETE_BLOBS_V1,
  DeletedBlobsV1,
  REMOVE_IMAGE_V1,
  RemoveImageResultV1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import type { DeleteResponseItem } from '../engine-types';

/** RemoveImageCommand is `DELETE /images/{name}?force` (`noprune` has nothing to keep in this store). */
export interface RemoveImageCommand {
  name: string;
  force: boolean;
}

/**
 * RemoveImageUseCase is `docker rmi`: metadata applies Docker's untag/delete rules (404, 409 with
 * Docker's conflict message) and answers the `Untagged`/`Deleted` items in order; the blobs no
 * image needs any more are then deleted from the blob store.
 */
@Injectable()
export class RemoveImageUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(command: RemoveImageCommand): Promise<DeleteResponseItem[]> {
    const result = await this.bus.send<RemoveImageResultV1>(REMOVE_IMAGE_V1, {
      ref: command.name,
      force: command.force,
    });
    if (result.releasedBlobs.length > 0) {
      await this.bus.send<DeletedBlobsV1>(DELETE_BLOBS_V1, {
        digests: result.releasedBlobs,
      });
    }
    return result.items;
  }
}
