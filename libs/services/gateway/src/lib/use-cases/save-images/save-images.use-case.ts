import { Inject, Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ARCHIVES, Archives } from '@stevedore/exporter-http';

/**
 * SaveImagesUseCase streams one docker-save archive of every named image (Engine `docker save`
 * and the native `/archive` route), of one platform's manifest when `platform` (`os/arch[/variant]`)
 * is given. The exporter resolves every name before the first byte, so an
 * unknown one is a clean NOT_FOUND, not a torn tar; then its tar is piped to the client.
 */
@Injectable()
export class SaveImagesUseCase {
  constructor(@Inject(ARCHIVES) private readonly archives: Archives) {}

  async execute(
    names: string[],
    out: Writable & { setHeader?(name: string, value: string): void },
    signal?: AbortSignal,
    platform?: string,
  ): Promise<void> {
    const tar = await this.archives.save({ names, ...(platform ? { platform } : {}) }, signal);
    out.setHeader?.('Content-Type', 'application/x-tar');
    await pipeline(tar, out);
  }
}
