import type { Database, Statement } from 'better-sqlite3';
import type { ListingChanges } from '../port/metadata-store.port';
import type { ImageRows } from './sqlite-image-rows';
import { TOMBSTONE_WINDOW } from './sqlite-schema';

interface ListingState {
  epoch: string;
  seq: number;
}

/**
 * ListingRows reads the listing's change numbers (schema version 4): the version of the listing
 * and the images changed or removed since an earlier version. The triggers that keep them run for
 * every writer of the file, so what it reports holds across processes.
 */
export class ListingRows {
  private readonly state: Statement;
  private readonly removed: Statement;

  constructor(
    db: Database,
    private readonly images: ImageRows,
  ) {
    this.state = db.prepare('SELECT epoch, seq FROM listing_state WHERE id = 1');
    this.removed = db.prepare('SELECT id FROM image_tombstones WHERE seq > ?').pluck();
  }

  /** version names the listing's current state: `<epoch>.<seq>`. */
  version(): string {
    const { epoch, seq } = this.current();
    return `${epoch}.${seq}`;
  }

  /**
   * changesSince returns what changed after `known` (a version this database gave), or undefined
   * when it cannot tell: another database's version, or one older than the removals kept.
   */
  changesSince(known: string): ListingChanges | undefined {
    const { epoch, seq } = this.current();
    const match = /^([0-9a-f]+)\.(\d{1,15})$/.exec(known);
    const knownSeq = Number(match?.[2]);
    if (match?.[1] !== epoch) return undefined;
    if (knownSeq > seq || knownSeq < seq - TOMBSTONE_WINDOW) return undefined;
    return {
      version: `${epoch}.${seq}`,
      changed: this.images.summariesSince(knownSeq),
      removed: this.removed.all(knownSeq) as string[],
    };
  }

  private current(): ListingState {
    return this.state.get() as ListingState;
  }
}
