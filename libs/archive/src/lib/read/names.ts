import { DomainError, Reference, isDomainError, parseReference } from '@stevedore/domain';
import { invalidArchive } from '../archive-error';

/** Annotation holding the full image name in containerd and Docker archives. */
export const IMAGE_NAME_ANNOTATION = 'io.containerd.image.name';
/** Annotation naming an `index.json` entry in an OCI layout (usually a tag). */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/**
 * repoTagOf parses one `RepoTags` entry the way `docker load` does: it must be a valid reference
 * that carries a tag (else INVALID_ARGUMENT `invalid tag "<x>"`); returns it normalised.
 */
export function repoTagOf(text: string): Reference {
  let reference: Reference;
  try {
    reference = parseReference(text);
  } catch (error) {
    if (isDomainError(error))
      throw invalidArchive(`invalid tag ${JSON.stringify(text)}: ${error.message}`);
    throw error;
  }
  if (reference.tag === undefined || reference.digest !== undefined)
    throw invalidArchive(`invalid tag ${JSON.stringify(text)}`);
  return reference;
}

/**
 * annotatedName reads the name of an `index.json` entry (§7.6): `io.containerd.image.name`, else a
 * `ref.name` that is a full reference (contains `/`, `:` or `@`); a bare tag in `ref.name` names
 * no repository, so it yields nothing. A name with a digest cannot be a tag and is skipped.
 */
export function annotatedName(
  annotations: Readonly<Record<string, string>> | undefined,
): Reference | undefined {
  const full = annotations?.[IMAGE_NAME_ANNOTATION];
  const refName = annotations?.[REF_NAME_ANNOTATION];
  const text = full ?? (refName !== undefined && /[/:@]/.test(refName) ? refName : undefined);
  if (text === undefined) return undefined;
  let reference: Reference;
  try {
    reference = parseReference(text).normalized();
  } catch (error) {
    if (error instanceof DomainError)
      throw invalidArchive(
        `invalid archive: index.json names an image ${JSON.stringify(text)}: ${error.message}`,
      );
    throw error;
  }
  return reference.digest ? undefined : reference;
}
