import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { type ImageListV1, LIST_IMAGES_V1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { EngineEvents } from './engine-events';
import { RuntimeSnapshots } from './runtime-snapshots';

const INTERVAL_MS = 60_000;

/**
 * SnapshotCollector removes unpacked layers nobody needs: no container holds them and no image
 * has their diff ID any more. Snapshots of existing images stay as a cache (the next `docker run`
 * of the image skips the unpack), so they are collected with the images: when an image is
 * deleted, after every container removal, at start-up and once a minute.
 */
@Injectable()
export class SnapshotCollector implements OnApplicationShutdown {
  private readonly logger = new Logger('SnapshotCollector');
  private readonly timer = setInterval(() => this.soon(), INTERVAL_MS).unref();
  private running: Promise<number> | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly snapshots: RuntimeSnapshots,
    events: EngineEvents,
  ) {
    events.onImageDeleted(() => this.soon());
  }

  /** soon starts a pass unless one runs; failures are logged (the next pass retries). */
  soon(): void {
    this.collect().catch((err: unknown) => this.logger.warn(`snapshot collection: ${String(err)}`));
  }

  /** collect runs one pass (or joins the running one) and resolves with how many it removed. */
  collect(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async pass(): Promise<number> {
    const unused = (await this.snapshots.snapshotter.listSnapshots()).filter(
      (s) => s.refs.length === 0,
    );
    if (unused.length === 0) return 0;
    const { images } = await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    const wanted = new Set(images.flatMap(diffIdsOf));
    let removed = 0;
    for (const snapshot of unused) {
      if (wanted.has(snapshot.diffId.toString())) continue;
      // removeSnapshot refuses (CONFLICT) if a container took a ref since the listing.
      if (await this.snapshots.snapshotter.removeSnapshot(snapshot.diffId).catch(() => false))
        removed++;
    }
    return removed;
  }
}

function diffIdsOf(image: { configJson: string }): string[] {
  const config = JSON.parse(image.configJson) as { rootfs?: { diff_ids?: string[] } };
  return config.rootfs?.diff_ids ?? [];
}
