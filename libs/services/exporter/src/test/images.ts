import { gzipSync } from 'node:zlib';
import { BlobStore, writeBlob } from '@stevedore/blob-port';
import type { ImageManifestRecord, ImageRecord } from '@stevedore/contracts';
import { Digest, MediaType } from '@stevedore/domain';

/** put commits `bytes` into `store` through its ingest API and returns the digest. */
export async function put(store: BlobStore, bytes: Buffer | string): Promise<string> {
  const buffer = Buffer.from(bytes);
  const digest = Digest.fromBytes(buffer);
  await writeBlob(store, { digest, size: buffer.length }, buffer);
  return digest.toString();
}

/** StoredImage is an image whose blobs are in a store, and the metadata record of it. */
export interface StoredImage {
  record: ImageRecord;
  manifest: ImageManifestRecord;
}

/**
 * storeImage commits a one-layer image (`layer` as its uncompressed tar bytes, gzip-compressed
 * when `gzip`) and returns its record with fully qualified `repoTags`.
 */
export async function storeImage(
  store: BlobStore,
  options: { layer: Buffer; gzip?: boolean; repoTags: string[]; docker?: boolean },
): Promise<StoredImage> {
  const blob = options.gzip ? gzipSync(options.layer) : options.layer;
  const layerType = options.docker
    ? MediaType.DockerLayerGzip
    : options.gzip
      ? MediaType.OciLayerGzip
      : MediaType.OciLayer;
  const layer = { mediaType: layerType, digest: await put(store, blob), size: blob.length };
  const configJson = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [Digest.fromBytes(options.layer).toString()] },
  });
  const config = {
    mediaType: options.docker ? MediaType.DockerConfig : MediaType.OciConfig,
    digest: await put(store, configJson),
    size: configJson.length,
  };
  const manifestType = options.docker ? MediaType.DockerManifest : MediaType.OciManifest;
  const manifestJson = JSON.stringify({
    schemaVersion: 2,
    mediaType: manifestType,
    config,
    layers: [layer],
  });
  const manifest: ImageManifestRecord = {
    digest: await put(store, manifestJson),
    mediaType: manifestType,
    size: manifestJson.length,
    platform: { os: 'linux', architecture: 'amd64' },
    config,
    layers: [layer],
  };
  const record: ImageRecord = {
    id: config.digest,
    repoTags: options.repoTags,
    repoDigests: [],
    manifests: [manifest],
    created: '1970-01-01T00:00:00Z',
    addedAt: '2026-01-01T00:00:00Z',
    size: layer.size,
    labels: {},
    os: 'linux',
    architecture: 'amd64',
    configJson,
  };
  return { record, manifest };
}
