import { DomainError, Reference, assertTagTarget, parseReference } from '@stevedore/domain';

/**
 * tagTarget builds the reference `POST /images/{name}/tag?repo&tag` should create: `repo` (the CLI
 * sends it normalised) with `tag`, `latest` when absent. Throws INVALID_ARGUMENT with Docker's
 * messages: a bad name or tag, `refusing to create a tag with a digest reference`, or
 * `refusing to create an ambiguous tag using digest algorithm as name` for `sha256`.
 */
export function tagTarget(repo: string | undefined, tag: string | undefined): Reference {
  if (repo === undefined || repo === '')
    throw DomainError.invalidArgument('repo is required to tag an image');
  const named = parseReference(repo);
  // Checked before the tag is applied, so `repo@digest` with a tag is refused rather than kept.
  assertTagTarget(named);
  const tagged = tag === undefined || tag === '' ? named : named.withTag(tag);
  return tagged.normalized();
}
