import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, type BlobStore } from '@stevedore/blob-port';
import type { ImageRecord } from '@stevedore/contracts';
import { Digest, DomainError } from '@stevedore/domain';
import { Snapshotter } from '@stevedore/snapshots';
import { RUNTIME_DATA_ROOT } from './tokens';

/** RuntimeSnapshots unpacks an image's layers (from the blob store) into the runtime's snapshots. */
@Injectable()
export class RuntimeSnapshots {
  readonly snapshotter: Snapshotter;

  constructor(@Inject(BLOB_STORE) blobs: BlobStore, @Inject(RUNTIME_DATA_ROOT) dataRoot: string) {
    this.snapshotter = new Snapshotter(blobs, dataRoot);
  }

  /**
   * unpackImage unpacks every layer of `image` (diff IDs bottom-first), in parallel, each once.
   * Each layer is its own snapshot, so the unpacks are independent: one that fails leaves nothing
   * of its own and the others are still published. All are settled before it answers, so a failed
   * create leaves no unpack running behind it; the first failure is what it throws.
   */
  async unpackImage(image: ImageRecord, diffIds: readonly Digest[]): Promise<void> {
    const manifest = image.manifests.find((m) => m.layers.length === diffIds.length);
    if (!manifest)
      throw DomainError.internal(`image ${image.id} has no manifest with ${diffIds.length} layers`);
    const settled = await Promise.allSettled(
      manifest.layers.map((layer, i) =>
        this.snapshotter.unpackLayer({
          digest: Digest.parse(layer.digest),
          mediaType: layer.mediaType,
          diffId: diffIds[i] as Digest,
        }),
      ),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
