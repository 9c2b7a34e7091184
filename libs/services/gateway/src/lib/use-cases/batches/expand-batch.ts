import { DomainError, Reference, parseReference } from '@stevedore/domain';
import { globToRegExp } from '../../engine-images/filters/glob';

/** BatchSpec is what a batch asks for, before its references are known. */
export type BatchSpec =
  | { kind: 'images'; images: string[]; allTags: boolean }
  | { kind: 'sync'; repository: Reference; include: string[]; exclude: string[] };

/** batchSpecOf checks a request body's shape: images XOR a sync spec; semver ranges are refused. */
export function batchSpecOf(body: {
  images?: string[]; allTags?: boolean; registry?: string; repository?: string; tags?: { include?: string[]; exclude?: string[]; semver?: string };
}): BatchSpec {
  const sync = body.registry !== undefined || body.repository !== undefined || body.tags !== undefined;
  if (body.images !== undefined && sync) throw DomainError.invalidArgument('a batch names either images or a registry and repository, not both');
  if (body.images !== undefined) {
    if (body.images.length === 0) throw DomainError.invalidArgument('images must not be empty');
    return { kind: 'images', images: body.images, allTags: body.allTags === true };
  }
  if (!body.registry || !body.repository) throw DomainError.invalidArgument('a batch needs images, or registry and repository');
  if (body.tags?.semver !== undefined) throw DomainError.unsupported('semver tag ranges are not supported yet; use include/exclude globs');
  const repository = parseReference(`${body.registry}/${body.repository}`);
  if (repository.tag !== undefined || repository.digest !== undefined) throw DomainError.invalidArgument('repository must not carry a tag or digest');
  return { kind: 'sync', repository, include: body.tags?.include ?? ['*'], exclude: body.tags?.exclude ?? [] };
}

/** selectTags keeps the tags that match an include glob and no exclude glob, in the given order. */
export function selectTags(tags: readonly string[], include: readonly string[], exclude: readonly string[]): string[] {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return tags.filter((t) => inc.some((r) => r.test(t)) && !exc.some((r) => r.test(t)));
}
