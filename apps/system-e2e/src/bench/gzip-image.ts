import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Digest, parseReference } from '@stevedore/domain';
import { RegistryClient } from '@stevedore/registry-client';
import { randomBlobStream } from '@stevedore/testing';

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const CONFIG = 'application/vnd.oci.image.config.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** A gzip layer written to disk once: its file, digest, size and diff ID. */
interface GzipLayer {
  file: string;
  digest: string;
  size: number;
  diffId: string;
}

/** hashing counts and hashes what flows through it (one side of the gzip). */
function hashing(): { stream: Transform; digest: () => string; size: () => number } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, digest: () => `sha256:${hash.digest('hex')}`, size: () => size };
}

/** gzipLayer streams `size` seeded random bytes through gzip (level 1) into `file`, never in memory. */
async function gzipLayer(file: string, size: number, seed: number): Promise<GzipLayer> {
  const plain = hashing();
  const packed = hashing();
  await pipeline(
    randomBlobStream(size, seed),
    plain.stream,
    createGzip({ level: 1 }),
    packed.stream,
    createWriteStream(file),
  );
  return { file, digest: packed.digest(), size: packed.size(), diffId: plain.digest() };
}

/** A pushed image: its reference and how many bytes a cold pull fetches. */
export interface GzipImage {
  reference: string;
  bytes: number;
  blobs: number;
}

/**
 * pushGzipImage pushes `<registryHost>/<repository>:v1` with one gzip layer of seeded random
 * bytes per entry of `sizes` (seeds `seed`, `seed + 1`, …): random bytes do not compress, so a
 * pull moves the full size. Layers go through files in `dir`, one at a time.
 */
export async function pushGzipImage(
  registryHost: string,
  repository: string,
  sizes: number[],
  seed: number,
  dir: string,
): Promise<GzipImage> {
  const ref = parseReference(`${registryHost}/${repository}:v1`);
  const client = new RegistryClient();
  const layers: GzipLayer[] = [];
  try {
    for (const [i, size] of sizes.entries()) {
      const layer = await gzipLayer(join(dir, `layer-${seed}-${i}.gz`), size, seed + i);
      await client.pushBlob(
        ref,
        { mediaType: LAYER, digest: Digest.parse(layer.digest), size: layer.size },
        () => createReadStream(layer.file),
      );
      layers.push(layer);
    }
    const config = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: { Cmd: ['sh'] },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
        history: layers.map((_, n) => ({ created: '2026-01-01T00:00:00Z', created_by: `${n}` })),
      }),
    );
    const configDesc = { mediaType: CONFIG, digest: Digest.fromBytes(config), size: config.length };
    await client.pushBlob(ref, configDesc, () => once(config));
    const manifest = {
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: { ...configDesc, digest: configDesc.digest.toString() },
      layers: layers.map((l) => ({ mediaType: LAYER, digest: l.digest, size: l.size })),
    };
    await client.pushManifest(ref, Buffer.from(JSON.stringify(manifest)), MANIFEST);
  } finally {
    await client.close();
  }
  const bytes = layers.reduce((sum, l) => sum + l.size, 0);
  return { reference: ref.toString(), bytes, blobs: layers.length + 1 };
}

async function* once(bytes: Buffer): AsyncIterable<Uint8Array> {
  yield bytes;
}
