import { AnonymousPull } from '@stevedore/config';
import { AccessRequest, RequestHeaders } from './access.types';
import { isLoopback } from './loopback';
import { CATALOG_ACCESS, formatScope, ResourceAccess } from './scope';

/** neededAccess is the resource a request needs, or undefined for the base `/v2/` check. */
export function neededAccess(request: AccessRequest): ResourceAccess | undefined {
  if (request.actions === 'catalog') return CATALOG_ACCESS;
  if (request.repository === undefined || request.actions.length === 0) return undefined;
  return { type: 'repository', name: request.repository, actions: [...request.actions] };
}

/** scopeOf is the challenge's scope for a need (none for the base check). */
export function scopeOf(need: ResourceAccess | undefined): string | undefined {
  return need && formatScope(need);
}

/** isReadOnly says whether a need only reads (pull on a repository, or the catalog listing). */
export function isReadOnly(need: ResourceAccess | undefined): boolean {
  if (need === undefined) return false;
  return need === CATALOG_ACCESS || need.actions.every((a) => a === 'pull');
}

/** anonymousMayPull applies the `anonymous-pull` policy to a peer. */
export function anonymousMayPull(
  policy: AnonymousPull,
  remoteAddress: string | undefined,
): boolean {
  return policy === 'all' || (policy === 'loopback' && isLoopback(remoteAddress));
}

/** authorizationOf is the request's `Authorization` header (the first, if several were sent). */
export function authorizationOf(headers: RequestHeaders): string | undefined {
  const value = headers['authorization'];
  return Array.isArray(value) ? value[0] : value;
}
