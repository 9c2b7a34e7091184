import { createHash } from 'node:crypto';
import { RegistryClient } from '@stevedore/registry-client';
import { Digest, parseReference } from '@stevedore/domain';
import { randomBlobStream } from '@stevedore/testing';

const LAYER = 'application/vnd.oci.image.layer.v1.tar';

async function digestOf(size: number, seed: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of randomBlobStream(size, seed)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** A pushed image: its reference and layers. */
export interface BigImage {
  reference: string;
  configDigest: string;
  layers: { digest: string; size: number }[];
}

/**
 * pushBigImage streams an image with one small and one large layer of seeded random bytes into
 * `registryHost` (never holding a layer in memory): the workload for memory and crash tests.
 */
export function pushBigImage(
  registryHost: string,
  repository: string,
  bigSize: number,
  seed = 7,
): Promise<BigImage> {
  return pushLayeredImage(registryHost, repository, [1024 * 1024, bigSize], seed);
}

/** pushLayeredImage is {@link pushBigImage} with one layer of seeded random bytes per size given. */
export async function pushLayeredImage(
  registryHost: string,
  repository: string,
  sizes: readonly number[],
  seed = 7,
): Promise<BigImage> {
  const layers = await Promise.all(
    sizes.map(async (size, i) => ({ digest: await digestOf(size, seed + i), size })),
  );
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      history: layers.map((_, i) => ({
        created: '2026-01-01T00:00:00Z',
        created_by: `layer ${i}`,
      })),
    }),
  );
  const configDigest = Digest.fromBytes(config).toString();
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: layers.map((l) => ({ mediaType: LAYER, ...l })),
    }),
  );
  const ref = parseReference(`${registryHost}/${repository}:v1`);
  const client = new RegistryClient();
  try {
    for (const [i, layer] of layers.entries()) {
      await client.pushBlob(
        ref,
        { mediaType: LAYER, digest: Digest.parse(layer.digest), size: layer.size },
        () => randomBlobStream(layer.size, seed + i),
      );
    }
    await client.pushBlob(
      ref,
      {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: Digest.parse(configDigest),
        size: config.length,
      },
      () => [config][Symbol.iterator]() as unknown as AsyncIterable<Uint8Array>,
    );
    await client.pushManifest(ref, manifest, 'application/vnd.oci.image.manifest.v1+json');
  } finally {
    await client.close();
  }
  return { reference: ref.toString(), configDigest, layers };
}
