import { DomainError, Reference, parseReference } from '@stevedore/domain';

/**
 * pullTarget is what `POST /images/create?fromImage&tag` asks for: `tag` may be a tag or a digest
 * (the CLI sends `busybox@sha256:…` as `fromImage=…busybox&tag=sha256:…`). Returns `all-tags` when
 * neither `tag` nor `fromImage` names a tag or digest (`docker pull -a`). Throws INVALID_ARGUMENT
 * with Docker's reference messages for a bad name, tag or digest.
 */
export function pullTarget(
  fromImage: string | undefined,
  tag: string | undefined,
): Reference | 'all-tags' {
  if (fromImage === undefined || fromImage === '')
    throw DomainError.invalidArgument('fromImage is required to pull an image');
  const ref = parseReference(fromImage);
  if (tag !== undefined && tag !== '')
    return tag.includes(':') ? ref.withDigest(tag) : ref.withTag(tag);
  if (ref.tag === undefined && ref.digest === undefined) return 'all-tags';
  return ref;
}
