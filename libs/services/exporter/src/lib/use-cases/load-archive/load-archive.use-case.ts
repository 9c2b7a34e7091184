import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { readArchive } from '@stevedore/archive';
import type { LoadedImage } from '@stevedore/archive';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import {
  LoadArchiveV1,
  LoadResultV1,
  LoadedTagV1,
  RECORD_IMAGE_V1,
  RecordImageResultV1,
} from '@stevedore/contracts';
import { parsePlatform } from '@stevedore/domain';
import { Bus, ContentLeases, HeldContent } from '@stevedore/messaging';
import { abortReading } from '../../support/abort';
import { SpoolDirectory } from '../../support/spool-directory';

/**
 * LoadArchiveUseCase is `docker load`: the hardened archive reader streams the tar (plain or
 * compressed; docker-save legacy and OCI variants, skopeo's docker-archive, OCI layouts) into the
 * blob store, verifying every blob and committing nothing until the whole archive checked out;
 * then each image is recorded with all its tags in one message. It answers what was loaded and which image each tag
 * moved off, for the gateway to word as Docker does. From just before the commit until the images
 * are recorded it holds their blobs, so a concurrent prune cannot collect them in between.
 */
@Injectable()
export class LoadArchiveUseCase {
  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    private readonly leases: ContentLeases,
    private readonly spool: SpoolDirectory,
  ) {}

  async execute(
    archive: Readable,
    request: LoadArchiveV1,
    signal?: AbortSignal,
  ): Promise<LoadResultV1> {
    const platform = request.platform ? parsePlatform(request.platform) : undefined;
    const unlink = abortReading(archive, signal);
    let held: HeldContent | undefined;
    const beforeCommit = async (digests: string[]) => void (held = await this.leases.hold(digests));
    try {
      const options = {
        beforeCommit,
        tempDir: this.spool.path,
        ...(platform ? { platform } : {}),
      };
      const loaded = await readArchive(archive, this.store, options);
      const images: LoadResultV1['images'] = [];
      for (const image of loaded.images)
        images.push({ id: image.configDigest, tags: await this.record(image) });
      return { images };
    } finally {
      unlink();
      await held?.release();
    }
  }

  /** record records one image with all its tags in one message (one metadata transaction). */
  private async record(image: LoadedImage): Promise<LoadedTagV1[]> {
    const base = { id: image.configDigest, manifest: image.manifest, configJson: image.configJson };
    if (image.repoTags.length === 0) {
      await this.bus.send<RecordImageResultV1>(RECORD_IMAGE_V1, base);
      return [];
    }
    const { tags } = await this.bus.send<RecordImageResultV1>(RECORD_IMAGE_V1, {
      ...base,
      tags: image.repoTags,
    });
    return tags ?? [];
  }
}
