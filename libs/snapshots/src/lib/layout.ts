import { join } from 'node:path';
import type { Digest } from '@stevedore/domain';

/**
 * SnapshotLayout names the files of the snapshot store under `<dataRoot>/snapshots`:
 *
 * ```
 * snapshots/
 *   sha256/<hex>/fs/          the unpacked layer: an overlay lowerdir, whiteouts in overlay form
 *   sha256/<hex>/meta.json    diff ID, tar size, opaque directories (for the copying fallback)
 *   sha256/<hex>/refs/<id>    one empty file per container that uses the snapshot
 *   tmp/<random>/             unpacks in progress and snapshots being removed
 * ```
 *
 * A snapshot directory appears by one rename of a complete temp directory, so a snapshot is
 * either whole or absent; refs are files so several processes can hold them without a lock.
 */
export class SnapshotLayout {
  readonly root: string;

  constructor(dataRoot: string) {
    this.root = join(dataRoot, 'snapshots');
  }

  /** snapshot is the directory of the snapshot of `diffId`. */
  snapshot(diffId: Digest): string {
    return join(this.root, diffId.algorithm, diffId.hex);
  }

  /** tree is the unpacked filesystem of a snapshot directory. */
  static tree(snapshotDir: string): string {
    return join(snapshotDir, 'fs');
  }

  static meta(snapshotDir: string): string {
    return join(snapshotDir, 'meta.json');
  }

  static refs(snapshotDir: string): string {
    return join(snapshotDir, 'refs');
  }

  get tmp(): string {
    return join(this.root, 'tmp');
  }
}

/** SnapshotMeta is what `meta.json` records of a snapshot. */
export interface SnapshotMeta {
  readonly diffId: string;
  /** Bytes of the uncompressed layer tar. */
  readonly size: number;
  /** Directories (relative to the tree) that a `.wh..wh..opq` made opaque. */
  readonly opaque: readonly string[];
}
