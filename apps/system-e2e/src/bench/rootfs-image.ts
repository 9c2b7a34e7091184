import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { SKOPEO, randomBlobStream } from '@stevedore/testing';

const run = promisify(execFile);

/** RootfsImage is an OCI layout of gzip layers (real tars), and where it was pushed. */
export interface RootfsImage {
  reference: string;
  /** The layers' gzip blobs in the layout, bottom first: what `tar -xzf` unpacks for the floor. */
  layerPaths: string[];
  bytes: number;
}

/**
 * buildRootfsImage makes a `layers`-layer image of about `totalMb` MB: a busybox layer, then
 * layers of 8 MB files of seeded random bytes (incompressible: the gzip is as big as the tar),
 * as an OCI layout under `dir`, and pushes it to `registryHost` with skopeo.
 */
export async function buildRootfsImage(
  dir: string,
  registryHost: string,
  totalMb: number,
  layers = 8,
): Promise<RootfsImage> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const descriptors: { digest: string; size: number; diffId: string; path: string }[] = [];
  for (let i = 0; i < layers; i++) {
    const tree = join(dir, `tree-${i}`);
    await (i === 0 ? busyboxTree(tree) : randomTree(tree, Math.round(totalMb / (layers - 1)), i));
    descriptors.push(await tarLayer(tree, dir, blobs));
    await rm(tree, { recursive: true, force: true });
  }
  const config = {
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: descriptors.map((d) => d.diffId) },
  };
  const configDesc = await writeBlob(blobs, Buffer.from(JSON.stringify(config)));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configDesc },
    layers: descriptors.map((d) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: d.digest,
      size: d.size,
    })),
  };
  const manifestDesc = await writeBlob(blobs, Buffer.from(JSON.stringify(manifest)));
  await writeLayout(dir, manifestDesc);
  const reference = `${registryHost}/bench/rootfs:1`;
  await run(SKOPEO, [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    `oci:${dir}:1`,
    `docker://${reference}`,
  ]);
  const bytes = descriptors.reduce((sum, d) => sum + d.size, 0);
  return { reference, layerPaths: descriptors.map((d) => d.path), bytes };
}

async function busyboxTree(tree: string): Promise<void> {
  await mkdir(join(tree, 'bin'), { recursive: true });
  await run('cp', ['/bin/busybox', join(tree, 'bin', 'busybox')]);
  await run(join(tree, 'bin', 'busybox'), ['--install', '-s', join(tree, 'bin')]);
}

async function randomTree(tree: string, mb: number, seed: number): Promise<void> {
  await mkdir(join(tree, `data${seed}`), { recursive: true });
  for (let f = 0; f * 8 < mb; f++) {
    const size = Math.min(8, mb - f * 8) * 1024 * 1024;
    const out = createWriteStream(join(tree, `data${seed}`, `file${f}`));
    await pipeline(randomBlobStream(size, seed * 1000 + f), out);
  }
}

async function tarLayer(tree: string, dir: string, blobs: string) {
  const tar = join(dir, 'layer.tar');
  await run('tar', ['-C', tree, '-cf', tar, '.']);
  const diffId = await sha256File(tar);
  await run('gzip', ['-1', '-f', tar]);
  const digest = await sha256File(`${tar}.gz`);
  const path = join(blobs, digest.slice('sha256:'.length));
  await rename(`${tar}.gz`, path);
  return { digest, size: (await stat(path)).size, diffId, path };
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

async function writeBlob(blobs: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  await writeFile(join(blobs, digest.slice('sha256:'.length)), bytes);
  return { digest, size: bytes.length };
}

async function writeLayout(dir: string, manifest: { digest: string; size: number }): Promise<void> {
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const entry = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    ...manifest,
    annotations: { 'org.opencontainers.image.ref.name': '1' },
  };
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [entry] }),
  );
}
