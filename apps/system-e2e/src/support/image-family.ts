import { createHash } from 'node:crypto';
import { Digest, parseReference } from '@stevedore/domain';
import { RegistryClient } from '@stevedore/registry-client';
import { randomBlob } from '@stevedore/testing';

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const CONFIG = 'application/vnd.oci.image.config.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** A pushed family member: where it is and what it is made of. */
export interface FamilyImage {
  reference: string;
  configDigest: string;
  layers: string[];
}

interface Blob {
  bytes: Buffer;
  digest: string;
}

function blobOf(bytes: Buffer): Blob {
  return { bytes, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
}

/**
 * pushImageFamily pushes `count` images to `registryHost` that share two base layers and each add
 * one small layer of their own, as a fleet's images built on one base do: `<repository>-<i>:v1`.
 * `extraTags` tags the first image again in its own repository (for tag-selection tests).
 */
export async function pushImageFamily(
  registryHost: string,
  repository: string,
  count: number,
  extraTags: string[] = [],
): Promise<FamilyImage[]> {
  const base = [blobOf(randomBlob(768 * 1024, 501)), blobOf(randomBlob(256 * 1024, 502))];
  const client = new RegistryClient();
  try {
    const images: FamilyImage[] = [];
    for (let i = 0; i < count; i += 1) {
      const own = blobOf(randomBlob(16 * 1024, 600 + i));
      const layers = [...base, own];
      const config = blobOf(
        Buffer.from(
          JSON.stringify({
            architecture: 'amd64',
            os: 'linux',
            created: '2026-01-01T00:00:00Z',
            config: { Cmd: ['sh'], Labels: { member: String(i) } },
            rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
            history: layers.map((_, n) => ({
              created: '2026-01-01T00:00:00Z',
              created_by: `layer ${n}`,
            })),
          }),
        ),
      );
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MANIFEST,
          config: { mediaType: CONFIG, digest: config.digest, size: config.bytes.length },
          layers: layers.map((l) => ({ mediaType: LAYER, digest: l.digest, size: l.bytes.length })),
        }),
      );
      const ref = parseReference(`${registryHost}/${repository}-${i}:v1`);
      for (const [blob, mediaType] of [
        ...layers.map((l) => [l, LAYER] as const),
        [config, CONFIG] as const,
      ]) {
        await client.pushBlob(
          ref,
          { mediaType, digest: Digest.parse(blob.digest), size: blob.bytes.length },
          () => once(blob.bytes),
        );
      }
      await client.pushManifest(ref, manifest, MANIFEST);
      if (i === 0)
        for (const tag of extraTags)
          await client.pushManifest(
            parseReference(`${registryHost}/${repository}-0:${tag}`),
            manifest,
            MANIFEST,
          );
      images.push({
        reference: ref.toString(),
        configDigest: config.digest,
        layers: layers.map((l) => l.digest),
      });
    }
    return images;
  } finally {
    await client.close();
  }
}

async function* once(bytes: Buffer): AsyncIterable<Uint8Array> {
  yield bytes;
}
