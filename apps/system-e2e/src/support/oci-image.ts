import { createHash, randomBytes } from 'node:crypto';

/** sha256 is the OCI digest of some bytes. */
export const sha256 = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** A tiny image: one random layer and a config naming it, so any registry (and an image store) takes it. */
export function makeImage(seed: string) {
  const layer = randomBytes(70_000);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2000-01-01T00:00:00Z',
      config: { Env: [`SEED=${seed}`] },
      rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar',
          digest: sha256(layer),
          size: layer.length,
        },
      ],
    }),
  );
  return { layer, config, manifest, digest: sha256(manifest) };
}

/** The spec's empty config (`{}`), what artifacts without a config of their own name. */
export const EMPTY_CONFIG = Buffer.from('{}');
export const EMPTY = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};

/** An artifact manifest (OCI 1.1): the empty config, one layer, an artifactType, and a subject. */
export function makeArtifact(artifactType: string, subject: { digest: string; size: number }) {
  const layer = randomBytes(500);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType,
      config: EMPTY,
      layers: [
        { mediaType: 'application/octet-stream', digest: sha256(layer), size: layer.length },
      ],
      subject: { mediaType: OCI_MANIFEST, ...subject },
      annotations: { 'org.opencontainers.image.created': '2026-12-03T10:00:00Z' },
    }),
  );
  return { layer, manifest, digest: sha256(manifest), artifactType };
}
