/** Access is what a request needs from the registry for one repository. */
export type Access = 'pull' | 'push' | 'delete';

/** pullScope is the token scope for reading `repository` (`repository:<path>:pull`). */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

/** pushScope is the token scope for writing `repository` (`repository:<path>:pull,push`). */
export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

/** CATALOG_SCOPE is the token scope distribution requires for `GET /v2/_catalog`. */
export const CATALOG_SCOPE = 'registry:catalog:*';

/**
 * normaliseScopes de-duplicates and sorts scopes so that the same set of needs always yields the same
 * token-cache key, whatever order the caller and the challenge listed them in.
 */
export function normaliseScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.filter((s) => s.length > 0))].sort();
}
