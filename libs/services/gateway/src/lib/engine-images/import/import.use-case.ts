import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { ImportRootfsV1 } from '@stevedore/contracts';
import { ARCHIVES, Archives } from '@stevedore/exporter-http';
import type { JsonMessage } from '../engine-types';
import { imageEvent } from '../events/engine-event';
import { EventLog } from '../events/event-log';

/**
 * ImportImageUseCase is `docker import` at the edge: the root filesystem tar (the request body)
 * or the URL goes to the exporter, which builds and records the one-layer image; the answer is
 * Docker's `{"status":"sha256:<id>"}`.
 */
@Injectable()
export class ImportImageUseCase {
  constructor(
    @Inject(ARCHIVES) private readonly archives: Archives,
    private readonly events: EventLog,
  ) {}

  async execute(
    request: ImportRootfsV1,
    body: Readable,
    signal?: AbortSignal,
  ): Promise<JsonMessage[]> {
    const { id } = await this.archives.importRootfs(body, request, signal);
    this.events.publish(imageEvent('import', id, id));
    return [{ status: id }];
  }
}
