import { join } from 'node:path';
import { Digest } from '@stevedore/domain';

/**
 * On-disk layout of the filesystem blob store (one tree per data root):
 *
 *   <root>/blobs/<algorithm>/<hex>          committed blobs: verified, read-only, never rewritten
 *   <root>/ingest/<algorithm>-<hex>/data    bytes of an unfinished ingest, appended in order;
 *                                           its length is the offset a resumed ingest continues at
 *
 * A blob becomes visible only by an atomic rename from ingest/…/data to blobs/…, after its size
 * and digest were verified and the file was fsynced; a crash leaves at most an ingest to resume.
 */
export class StoreLayout {
  constructor(readonly root: string) {}

  get blobsDir(): string {
    return join(this.root, 'blobs');
  }

  get ingestDir(): string {
    return join(this.root, 'ingest');
  }

  blobPath(digest: Digest): string {
    return join(this.blobsDir, digest.algorithm, digest.hex);
  }

  ingestPath(digest: Digest): string {
    return join(this.ingestDir, `${digest.algorithm}-${digest.hex}`);
  }

  ingestDataPath(digest: Digest): string {
    return join(this.ingestPath(digest), 'data');
  }
}
