import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Digest } from '@stevedore/domain';
import type { SaveImage } from '../lib/plan/plan-docker-save';
import type { MemoryBlobStore } from '@stevedore/testing';
import { TarMember, tarOf } from './tar-helpers';

/** FixtureLayer is a layer as tar and gzip bytes with both digests. */
export interface FixtureLayer {
  gzip: Buffer;
  digest: string;
  diffId: string;
}

/** BuiltImage is a fixture image in a store: what planDockerSave needs plus its DiffIDs and config text. */
export interface BuiltImage extends SaveImage {
  diffIds: string[];
  configJson: string;
}

const OCI = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};
const DOCKER = {
  manifest: 'application/vnd.docker.distribution.manifest.v2+json',
  config: 'application/vnd.docker.container.image.v1+json',
  layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};

/** makeLayer tars `members` deterministically and gzips them. */
export async function makeLayer(members: TarMember[]): Promise<FixtureLayer> {
  const tar = await tarOf(members);
  const gzip = gzipSync(tar, { level: 6 });
  return {
    gzip,
    digest: Digest.fromBytes(gzip).toString(),
    diffId: Digest.fromBytes(tar).toString(),
  };
}

/** busyboxLayer is a real root filesystem: Debian's static busybox and a few applet links. */
export async function busyboxLayer(): Promise<FixtureLayer> {
  const binary = readFileSync('/usr/bin/busybox');
  return makeLayer([
    { name: 'bin/', type: 'directory' },
    { name: 'bin/busybox', data: binary, mode: 0o755 },
    ...['sh', 'ls', 'cat', 'echo'].map((a): TarMember => ({
      name: `bin/${a}`,
      type: 'symlink',
      linkname: 'busybox',
    })),
  ]);
}

/**
 * buildImage commits an image made of `layers` into `store` (layers, config, manifest; OCI or
 * Docker media types) and describes it.
 */
export function buildImage(
  store: MemoryBlobStore,
  layers: FixtureLayer[],
  options: { docker?: boolean; tag?: string; cmd?: string[] } = {},
): BuiltImage {
  const types = options.docker ? DOCKER : OCI;
  for (const layer of layers) store.put(layer.gzip);
  const configJson = JSON.stringify({
    created: '2000-01-01T00:00:00Z',
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: options.cmd ?? ['sh'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created: '2000-01-01T00:00:00Z', created_by: `layer ${i}` })),
  });
  const config = { digest: store.put(configJson), size: Buffer.byteLength(configJson) };
  const layerDescriptors = layers.map((l) => ({
    mediaType: types.layer,
    digest: l.digest,
    size: l.gzip.length,
  }));
  const manifestJson = JSON.stringify({
    schemaVersion: 2,
    mediaType: types.manifest,
    config: { mediaType: types.config, ...config },
    layers: layerDescriptors,
  });
  const manifest = {
    digest: store.put(manifestJson),
    mediaType: types.manifest,
    size: Buffer.byteLength(manifestJson),
  };
  return {
    repoTags: options.tag ? [options.tag] : [],
    manifest,
    config,
    layers: layerDescriptors,
    diffIds: layers.map((l) => l.diffId),
    configJson,
  };
}
