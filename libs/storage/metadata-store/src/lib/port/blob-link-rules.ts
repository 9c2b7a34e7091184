import { DomainError } from '@stevedore/domain';
import type { BlobMembership } from './blob-link.port';
import { assertRepository } from './manifest-validation';
import { assertBlobDigest } from './validation';

/** assertLinks checks a link request: a plausible repository and full digests (INVALID_ARGUMENT). */
export function assertLinks(repository: string, digests: readonly string[]): string[] {
  assertRepository(repository);
  digests.forEach(assertBlobDigest);
  return [...new Set(digests)];
}

/**
 * assertMembership checks a membership question: a repository, a digest, and fully qualified
 * names without tag or digest (`<domain>/<path>`, no `:` or `@` in the path).
 */
export function assertMembership(query: BlobMembership): BlobMembership {
  assertRepository(query.repository);
  assertBlobDigest(query.digest);
  for (const name of query.names)
    if (!name.includes('/') || /[:@]/.test(name.slice(name.indexOf('/') + 1)))
      throw DomainError.invalidArgument(`invalid name: ${JSON.stringify(name)}`, { name });
  return query;
}

/** isUnderName tells whether a reference (`name:tag`, `name@digest`) is one of `names`'. */
export function isUnderName(ref: string, names: readonly string[]): boolean {
  return names.some((name) => ref.startsWith(`${name}:`) || ref.startsWith(`${name}@`));
}
