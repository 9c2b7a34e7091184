import { TokenAccess } from './registry.types';

const KNOWN_ACTIONS = new Set(['pull', 'push', 'delete', '*']);

/**
 * parseScopes turns scope strings (`repository:team/app:pull,push`, several per string when
 * space-separated) into access entries; malformed scopes are skipped, as distribution's server does.
 */
export function parseScopes(raw: string[]): TokenAccess[] {
  const access: TokenAccess[] = [];
  for (const scope of raw.flatMap((s) => s.split(' ')).filter((s) => s.length > 0)) {
    // A resource name may carry one `host:port` colon, so split on the first and last colon only.
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first <= 0 || last === first) continue;
    const type = scope.slice(0, first).replace(/\(.*\)$/, '');
    const name = scope.slice(first + 1, last);
    const actions = scope
      .slice(last + 1)
      .split(',')
      .filter((a) => KNOWN_ACTIONS.has(a));
    if (name.length > 0 && actions.length > 0) access.push({ type, name, actions });
  }
  return access;
}

/** formatScopes renders access entries back into the space-separated OAuth `scope` field. */
export function formatScopes(access: TokenAccess[]): string {
  return access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`).join(' ');
}

/** decodeBasic returns the user and password of an `Authorization: Basic …` header, if well-formed. */
export function decodeBasic(
  header: string | undefined,
): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
