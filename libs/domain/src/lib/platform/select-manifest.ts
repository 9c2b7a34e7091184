import { DomainError } from '../errors/domain-error';
import { isIndexMediaType, isManifestMediaType } from '../media-types/media-types';
import { Descriptor } from '../manifest/descriptor';
import { ImageIndex } from '../manifest/documents';
import { platformMatcher } from './matcher';
import { Platform, formatPlatform, normalizePlatform } from './platform';

/** ATTESTATION_REFERENCE_TYPE is the BuildKit annotation value marking an attestation manifest. */
export const ATTESTATION_REFERENCE_TYPE = 'attestation-manifest';

/**
 * isAttestationDescriptor tells whether an index entry is a BuildKit attestation manifest
 * (platform `unknown/unknown` or annotation `vnd.docker.reference.type: attestation-manifest`).
 */
export function isAttestationDescriptor(descriptor: Descriptor): boolean {
  if (descriptor.annotations?.['vnd.docker.reference.type'] === ATTESTATION_REFERENCE_TYPE)
    return true;
  return descriptor.platform?.os === 'unknown' && descriptor.platform.architecture === 'unknown';
}

/**
 * selectManifest picks the entry of `index` to pull for `target` (§5.3): only manifest/index media
 * types, never attestations; the best position in the compatibility vector wins (arm64 falls back to
 * arm/v8…v5, amd64/vN to lower levels, then 386), ties keep index order; an entry without `platform`
 * is used only when no entry matches by platform. A returned index must be fetched and selected
 * from again. Throws NOT_FOUND `no matching manifest for <os/arch[/variant]> in the manifest list entries`.
 */
export function selectManifest(index: ImageIndex, target: Platform): Descriptor {
  const matcher = platformMatcher(target);
  const candidates = index.manifests.filter(
    (d) =>
      (isManifestMediaType(d.mediaType) || isIndexMediaType(d.mediaType)) &&
      !isAttestationDescriptor(d),
  );
  let best: Descriptor | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const descriptor of candidates) {
    const rank = descriptor.platform ? matcher.rank(descriptor.platform) : -1;
    if (rank >= 0 && rank < bestRank) [best, bestRank] = [descriptor, rank];
  }
  const chosen = best ?? candidates.find((d) => d.platform === undefined);
  if (chosen) return chosen;
  throw DomainError.notFound(
    `no matching manifest for ${formatPlatform(matcher.target)} in the manifest list entries`,
    { platform: formatPlatform(matcher.target), reason: PLATFORM_MISMATCH },
  );
}

/** PLATFORM_MISMATCH is the `details.reason` of the errors saying an image exists, but not for the platform asked. */
export const PLATFORM_MISMATCH = 'platform-mismatch';

/** isPlatformMismatch tells whether `err` says the image exists but not for the platform asked. */
export function isPlatformMismatch(err: unknown): boolean {
  return err instanceof DomainError && err.details?.['reason'] === PLATFORM_MISMATCH;
}

/**
 * assertPlatformMatches refuses a single-platform image whose config names a platform `wanted`
 * cannot run, as moby does: NOT_FOUND `image with reference <ref> was found but does not match the
 * specified platform: wanted <os/arch>, actual: <os/arch>`.
 */
export function assertPlatformMatches(reference: string, wanted: Platform, actual: Platform): void {
  const matcher = platformMatcher(wanted);
  if (matcher.matches(actual)) return;
  const [want, got] = [formatPlatform(matcher.target), formatPlatform(normalizePlatform(actual))];
  throw DomainError.notFound(
    `image with reference ${reference} was found but does not match the specified platform: wanted ${want}, actual: ${got}`,
    { platform: want, reason: PLATFORM_MISMATCH },
  );
}
