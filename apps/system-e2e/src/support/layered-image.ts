import { Digest, parseReference } from '@stevedore/domain';
import { RegistryClient } from '@stevedore/registry-client';
import { randomBlob } from '@stevedore/testing';

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const CONFIG = 'application/vnd.oci.image.config.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** A pushed image of small layers of its own. */
export interface LayeredImage {
  reference: string;
  configDigest: string;
  layers: string[];
}

/**
 * pushLayeredImage pushes `<registryHost>/<repository>:v1` with `count` small layers of seeded
 * random bytes that no other image shares (seeds `seed`, `seed + 1`, …): a pull of it downloads
 * every layer, which is what a per-layer measurement needs.
 */
export async function pushLayeredImage(
  registryHost: string,
  repository: string,
  count: number,
  seed: number,
): Promise<LayeredImage> {
  const layers = Array.from({ length: count }, (_, i) => randomBlob(8 * 1024, seed + i));
  const diffIds = layers.map((l) => Digest.fromBytes(l).toString());
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: diffIds.map((_, n) => ({ created: '2026-01-01T00:00:00Z', created_by: `${n}` })),
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: {
        mediaType: CONFIG,
        digest: Digest.fromBytes(config).toString(),
        size: config.length,
      },
      layers: layers.map((l, i) => ({ mediaType: LAYER, digest: diffIds[i], size: l.length })),
    }),
  );
  const ref = parseReference(`${registryHost}/${repository}:v1`);
  const client = new RegistryClient();
  try {
    for (const [bytes, mediaType] of [
      ...layers.map((l) => [l, LAYER] as const),
      [config, CONFIG] as const,
    ])
      await client.pushBlob(
        ref,
        { mediaType, digest: Digest.fromBytes(bytes), size: bytes.length },
        () => once(bytes),
      );
    await client.pushManifest(ref, manifest, MANIFEST);
  } finally {
    await client.close();
  }
  return {
    reference: ref.toString(),
    configDigest: Digest.fromBytes(config).toString(),
    layers: diffIds,
  };
}

async function* once(bytes: Buffer): AsyncIterable<Uint8Array> {
  yield bytes;
}
