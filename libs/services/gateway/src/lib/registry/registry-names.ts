import type { ImageRecord } from '@stevedore/contracts';
import { DEFAULT_DOMAIN, TAG_RE, parseRepositoryName } from '@stevedore/domain';
import { RegistryError } from './registry-error';

/** The spec's repository name grammar (path components only: a registry host with a port cannot be one). */
const REPOSITORY_RE =
  /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

/**
 * How the store's names appear on `/v2/` ("one store, two faces"):
 * - `docker.io/library/busybox` is served as `library/busybox`, `docker.io/x/y` as `x/y`;
 * - a name on this registry itself (`localhost:5000/x/y`, any host in `selfHosts`) as `x/y`;
 * - a name on any other registry as `<host>/<path>` (`ghcr.io/x/y`); a host with a port does not
 *   fit the spec's repository grammar, so such names are not served.
 * A push to `/v2/x/y` is recorded under the host the client addressed (its `Host` header), so
 * `docker push localhost:5000/x/y:1` shows as `localhost:5000/x/y:1` in `docker images`.
 */
export function repositoryOf(name: string, selfHosts: ReadonlySet<string>): string | undefined {
  const slash = name.indexOf('/');
  const domain = name.slice(0, slash);
  const path = name.slice(slash + 1);
  const repository = domain === DEFAULT_DOMAIN || selfHosts.has(domain) ? path : name;
  return REPOSITORY_RE.test(repository) ? repository : undefined;
}

/** isRepository tells whether a name fits the spec's repository grammar (and length). */
export function isRepository(repository: string): boolean {
  return repository.length <= 255 && REPOSITORY_RE.test(repository);
}

/** assertRepository throws the spec's NAME_INVALID for a name outside the grammar. */
export function assertRepository(repository: string): string {
  if (!isRepository(repository))
    throw new RegistryError(400, 'NAME_INVALID', 'invalid repository name', { name: repository });
  return repository;
}

/** assertTag throws MANIFEST_INVALID for a tag outside the grammar. */
export function assertTag(tag: string): string {
  if (!TAG_RE.test(tag)) throw new RegistryError(400, 'MANIFEST_INVALID', 'invalid tag', { tag });
  return tag;
}

/**
 * pushedName is the fully qualified store name of a repository pushed to `/v2/` through `host`:
 * `<host>/<repository>`, unless the repository already names another registry.
 */
export function pushedName(repository: string, host: string): string {
  const first = repository.split('/')[0] ?? '';
  const named = parseRepositoryName(repository);
  const namesRegistry = repository.includes('/') && named.domain === first;
  return namesRegistry ? named.name : `${host}/${repository}`;
}

/** splitName splits a `name:tag` or `name@digest` into name and the rest. */
export function splitName(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), digest: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

/** namesOf is every fully qualified name an image carries, in its tags and its digests. */
export function namesOf(image: ImageRecord): string[] {
  return [...image.repoTags, ...image.repoDigests].map((ref) => splitName(ref).name);
}
