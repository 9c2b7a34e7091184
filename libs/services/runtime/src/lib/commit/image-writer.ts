import { Inject, Injectable } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { BLOB_STORE, type BlobStore, writeBlob } from '@stevedore/blob-port';
import {
  type ImageManifestRecord,
  RECORD_IMAGE_V1,
  type RecordImageResultV1,
} from '@stevedore/contracts';
import { Digest, DomainError } from '@stevedore/domain';
import { Bus, ContentLeases } from '@stevedore/messaging';
import type { SpooledDiff } from './spool-layer';

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const MEDIA = {
  docker: {
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
  oci: {
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
};

/** CommittedImage is what a commit stores: the parent's manifest, the new layer (or none), the config. */
export interface CommittedImage {
  parent: ImageManifestRecord;
  /** The spooled layer; absent when the container changed nothing (an empty layer is not stored). */
  layer?: SpooledDiff;
  configJson: string;
  /** `name:tag` to point at the image, or none (an untagged image). */
  tag?: string;
}

/**
 * ImageWriter stores a committed image — the layer blob, the config, a manifest of the parent's
 * media type family (the parent's layer descriptors plus the new one) — and records it, all
 * under a content lease from before the first write until the record exists, so a collection
 * running meanwhile deletes none of it. The parent's layers must still be in the store.
 */
@Injectable()
export class ImageWriter {
  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly leases: ContentLeases,
  ) {}

  async write(image: CommittedImage): Promise<string> {
    const id = Digest.fromBytes(Buffer.from(image.configJson)).toString();
    const parentLayers = image.parent.layers.map((l) => l.digest);
    const held = await this.leases.hold([
      id,
      ...parentLayers,
      ...(image.layer ? [image.layer.digest] : []),
    ]);
    try {
      await this.checkPresent(parentLayers);
      const manifest = await this.storeManifest(image);
      const tag = image.tag ? { tag: image.tag } : {};
      await this.bus.send<RecordImageResultV1>(RECORD_IMAGE_V1, {
        id,
        manifest,
        configJson: image.configJson,
        ...tag,
      });
    } finally {
      await held.release();
    }
    return id;
  }

  private async storeManifest(image: CommittedImage): Promise<ImageManifestRecord> {
    const docker = image.parent.mediaType === DOCKER_MANIFEST;
    const media = docker ? MEDIA.docker : MEDIA.oci;
    const layers = [...image.parent.layers];
    if (image.layer) {
      const { digest, size, path } = image.layer;
      await writeBlob(this.blobs, { digest: Digest.parse(digest), size }, (start) =>
        createReadStream(path, { start }),
      );
      layers.push({ mediaType: media.layer, digest, size });
    }
    const config = { mediaType: media.config, ...(await this.storeBytes(image.configJson)) };
    const mediaType = docker ? DOCKER_MANIFEST : MEDIA.oci.manifest;
    const json = JSON.stringify({ schemaVersion: 2, mediaType, config, layers });
    return {
      ...(await this.storeBytes(json)),
      mediaType,
      platform: image.parent.platform,
      config,
      layers,
    };
  }

  /** checkPresent: a parent layer collected meanwhile would make an image that cannot be pulled. */
  private async checkPresent(digests: readonly string[]): Promise<void> {
    for (const digest of digests) {
      if (!(await this.blobs.stat(Digest.parse(digest))))
        throw DomainError.notFound(`layer ${digest} of the container's image is not in the store`);
    }
  }

  private async storeBytes(text: string): Promise<{ digest: string; size: number }> {
    const bytes = Buffer.from(text);
    const digest = Digest.fromBytes(bytes);
    await writeBlob(this.blobs, { digest, size: bytes.length }, bytes);
    return { digest: digest.toString(), size: bytes.length };
  }
}
