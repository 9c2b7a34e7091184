import type { RecordManifestV1 } from '@stevedore/contracts';
import { ParsedManifest, isConfigMediaType } from '@stevedore/domain';

/**
 * isArtifact tells a manifest that is no image: an image manifest whose config is no image
 * config (an SBOM, a signature, a Helm chart; often the empty config `{}`). It is stored and
 * served by digest or tag and listed by the referrers API, but recorded as no image: dockerd does not
 * show artifacts in `docker images` either, and nothing there could run one.
 */
export function isArtifact(parsed: ParsedManifest): boolean {
  return parsed.kind === 'manifest' && !isConfigMediaType(parsed.manifest.config.mediaType);
}

/** subjectOf is the `subject` a manifest or index names, if any. */
export function subjectOf(parsed: ParsedManifest): string | undefined {
  const document = parsed.kind === 'manifest' ? parsed.manifest : parsed.index;
  return document.subject?.digest.toString();
}

/**
 * repositoryManifest is what metadata keeps of a manifest beside images: its descriptor as the
 * referrers API lists it (artifactType: the manifest's, else its config's media type, as the
 * spec says), its subject, and every blob it names (kept from garbage collection while it lives).
 */
export function repositoryManifest(
  repository: string,
  parsed: ParsedManifest,
  imageId: string | undefined,
): RecordManifestV1 {
  const document = parsed.kind === 'manifest' ? parsed.manifest : parsed.index;
  const children =
    parsed.kind === 'manifest'
      ? [parsed.manifest.config, ...parsed.manifest.layers]
      : parsed.index.manifests;
  const artifactType =
    document.artifactType ??
    (parsed.kind === 'manifest' ? parsed.manifest.config.mediaType : undefined);
  const subject = subjectOf(parsed);
  return {
    repository,
    digest: parsed.digest.toString(),
    mediaType: parsed.mediaType,
    size: parsed.size,
    ...(artifactType === undefined ? {} : { artifactType }),
    ...(subject === undefined ? {} : { subject }),
    ...(document.annotations === undefined ? {} : { annotations: { ...document.annotations } }),
    blobs: [parsed.digest.toString(), ...children.map((d) => d.digest.toString())],
    ...(imageId === undefined ? {} : { imageId }),
  };
}
