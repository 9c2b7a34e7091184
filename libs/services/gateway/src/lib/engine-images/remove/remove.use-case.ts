import { Injectable } from '@nestjs/common';
import { RemoveImagesUseCase } from '../../use-cases/remove-images/remove-images.use-case';
import type { DeleteResponseItem } from '../engine-types';

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
  constructor(private readonly removal: RemoveImagesUseCase) {}

  async execute(command: RemoveImageCommand): Promise<DeleteResponseItem[]> {
    const removed = await this.removal.execute({ refs: [command.name], force: command.force });
    return removed.items;
  }
}
