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

  /** unpackImage unpacks every layer of `image` (diff IDs bottom-first), in parallel, each once. */
  async unpackImage(image: ImageRecord, diffIds: readonly Digest[]): Promise<void> {
    const manifest = image.manifests.find((m) => m.layers.length === diffIds.length);
    if (!manifest)
      throw DomainError.internal(`image ${image.id} has no manifest with ${diffIds.length} layers`);
    await Promise.all(
      manifest.layers.map((layer, i) =>
        this.snapshotter.unpackLayer({
          digest: Digest.parse(layer.digest),
          mediaType: layer.mediaType,
          diffId: diffIds[i] as Digest,
        }),
      ),
    );
  }
}
