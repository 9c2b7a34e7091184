import { DomainError, Reference, parseReference } from '@stevedore/domain';
import { globToRegExp } from '../../engine-images/filters/glob';

// semver (~50 modules) loads with the first batch that names a range, not with the gateway.
const semver = (): typeof import('semver') => require('semver') as typeof import('semver');

/** BatchSpec is what a batch asks for, before its references are known. */
export type BatchSpec =
  | { kind: 'images'; images: string[]; allTags: boolean }
  | { kind: 'sync'; repository: Reference; include: string[]; exclude: string[]; semver?: string };

/** batchSpecOf checks a request body's shape: images XOR a sync spec; semver ranges are refused. */
export function batchSpecOf(body: {
  images?: string[];
  allTags?: boolean;
  registry?: string;
  repository?: string;
  tags?: { include?: string[]; exclude?: string[]; semver?: string };
}): BatchSpec {
  const sync =
    body.registry !== undefined || body.repository !== undefined || body.tags !== undefined;
  if (body.images !== undefined && sync)
    throw DomainError.invalidArgument(
      'a batch names either images or a registry and repository, not both',
    );
  if (body.images !== undefined) {
    if (body.images.length === 0) throw DomainError.invalidArgument('images must not be empty');
    return { kind: 'images', images: body.images, allTags: body.allTags === true };
  }
  if (!body.registry || !body.repository)
    throw DomainError.invalidArgument('a batch needs images, or registry and repository');
  const range = body.tags?.semver;
  if (range !== undefined && semver().validRange(range) === null)
    throw DomainError.invalidArgument(`invalid semver range: ${range}`);
  const repository = parseReference(`${body.registry}/${body.repository}`);
  if (repository.tag !== undefined || repository.digest !== undefined)
    throw DomainError.invalidArgument('repository must not carry a tag or digest');
  return {
    kind: 'sync',
    repository,
    include: body.tags?.include ?? ['*'],
    exclude: body.tags?.exclude ?? [],
    ...(range !== undefined ? { semver: range } : {}),
  };
}

/**
 * selectTags keeps the tags that match an include glob and no exclude glob and, with a semver range,
 * read as a version (`1.2.3`, `v1.2`, `1.36`) that satisfies it — in the given order.
 */
export function selectTags(
  tags: readonly string[],
  include: readonly string[],
  exclude: readonly string[],
  range?: string,
): string[] {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  const inRange = (t: string): boolean => {
    if (range === undefined) return true;
    // Registries tag `1.36` and `v2` as often as `1.36.0`: short versions count, other words do not.
    if (!/^v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$/.test(t)) return false;
    const version = semver().coerce(t, { includePrerelease: true });
    return version !== null && semver().satisfies(version, range);
  };
  return tags.filter(
    (t) => inc.some((r) => r.test(t)) && !exc.some((r) => r.test(t)) && inRange(t),
  );
}
