/** An action on a repository, as the token scopes of the distribution spec name them. */
export type RegistryAction = 'pull' | 'push' | 'delete';

/** One resource and the actions a token grants on it (the `access` claim's entries). */
export interface ResourceAccess {
  type: string;
  name: string;
  actions: string[];
}

const KNOWN_ACTIONS = new Set(['pull', 'push', 'delete', '*']);

/**
 * parseScopes turns `scope` values (`repository:team/app:pull,push`, several per value when
 * space-separated) into access entries; malformed scopes are skipped, as distribution's token
 * servers do, so a client asking for something odd still gets a token for the rest.
 */
export function parseScopes(raw: readonly string[]): ResourceAccess[] {
  const access: ResourceAccess[] = [];
  for (const scope of raw.flatMap((s) => s.split(' ')).filter((s) => s.length > 0)) {
    // A resource name may carry one `host:port` colon: split on the first and last colon only.
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first <= 0 || last === first) continue;
    const type = scope.slice(0, first).replace(/\(.*\)$/, '');
    const name = scope.slice(first + 1, last);
    const actions = [...new Set(scope.slice(last + 1).split(','))].filter((a) =>
      KNOWN_ACTIONS.has(a),
    );
    if (name.length > 0 && actions.length > 0) access.push({ type, name, actions });
  }
  return access;
}

/** formatScope renders an access entry as one scope (`repository:<name>:pull,push`). */
export function formatScope(access: ResourceAccess): string {
  return `${access.type}:${access.name}:${access.actions.join(',')}`;
}

/** The resource a catalog listing needs, as distribution names it. */
export const CATALOG_ACCESS: ResourceAccess = { type: 'registry', name: 'catalog', actions: ['*'] };

/** grants says whether `granted` covers every action `needed` asks for on the same resource. */
export function grants(granted: readonly ResourceAccess[], needed: ResourceAccess): boolean {
  const held = new Set(
    granted
      .filter((g) => g.type === needed.type && g.name === needed.name)
      .flatMap((g) => g.actions),
  );
  return held.has('*') || needed.actions.every((a) => held.has(a));
}
