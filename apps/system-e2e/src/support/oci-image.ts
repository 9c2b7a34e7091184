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
