import { Injectable } from '@nestjs/common';
import { GET_IMAGE_V1, ImageRecord } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import type { HistoryResponseItem } from '../engine-types';
import { toImageHistory } from '../mapping/image-history';

/** ImageHistoryUseCase answers `GET /images/{name}/history`, newest step first; NOT_FOUND otherwise. */
@Injectable()
export class ImageHistoryUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(name: string): Promise<HistoryResponseItem[]> {
    return toImageHistory(await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref: name }));
  }
}
