import { createHash } from 'node:crypto';
import { parseManifest } from '@stevedore/domain';
import { isArtifact, repositoryManifest, subjectOf } from './repository-manifest';

const digest = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const EMPTY = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const subject = { mediaType: OCI_MANIFEST, digest: digest('subject'), size: 100 };
const layer = { mediaType: 'application/spdx+json', digest: digest('sbom'), size: 10 };

function manifest(body: Record<string, unknown>) {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, ...body }));
  return parseManifest(bytes, OCI_MANIFEST);
}

describe('repository manifests (artifacts and referrers)', () => {
  it('keeps an artifact with the descriptor the referrers API lists and every blob it names', () => {
    const parsed = manifest({
      artifactType: 'application/vnd.example.sbom',
      config: EMPTY,
      layers: [layer],
      subject,
      annotations: { 'org.example': 'yes' },
    });
    expect(isArtifact(parsed)).toBe(true);
    expect(subjectOf(parsed)).toBe(subject.digest);
    expect(repositoryManifest('team/app', parsed, undefined)).toEqual({
      repository: 'team/app',
      digest: parsed.digest.toString(),
      mediaType: OCI_MANIFEST,
      size: parsed.size,
      artifactType: 'application/vnd.example.sbom',
      subject: subject.digest,
      annotations: { 'org.example': 'yes' },
      blobs: [parsed.digest.toString(), EMPTY.digest, layer.digest],
    });
  });

  it("takes the config's media type as artifactType when the manifest has none", () => {
    const config = { ...EMPTY, mediaType: 'application/vnd.cncf.helm.config.v1+json' };
    const parsed = manifest({ config, layers: [layer] });
    expect(repositoryManifest('charts/app', parsed, undefined).artifactType).toBe(
      'application/vnd.cncf.helm.config.v1+json',
    );
    expect(isArtifact(parsed)).toBe(true);
  });

  it('tells an image manifest (an image config) from an artifact', () => {
    const config = {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: digest('c'),
      size: 3,
    };
    const parsed = manifest({ config, layers: [], subject });
    expect(isArtifact(parsed)).toBe(false);
    expect(repositoryManifest('team/app', parsed, config.digest)).toMatchObject({
      artifactType: config.mediaType,
      imageId: config.digest,
      subject: subject.digest,
    });
  });
});
