import type { RegistryAction } from './registry-access';
import { RegistryError } from './registry-error';
import { assertRepository } from './registry-names';

/** RegistryRoute is a `/v2/` request path taken apart. */
export type RegistryRoute =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'manifest'; repository: string; reference: string }
  | { kind: 'blob'; repository: string; digest: string }
  | { kind: 'uploads'; repository: string }
  | { kind: 'upload'; repository: string; uuid: string }
  | { kind: 'tags'; repository: string }
  | { kind: 'referrers'; repository: string; digest: string };

const PATH_RE =
  /^\/v2\/(.+?)\/(manifests\/[^/]+|blobs\/uploads\/?[^/]*|blobs\/[^/]+|tags\/list|referrers\/[^/]+)$/;

/** parseRoute takes a `/v2/...` path apart; NAME_INVALID or 404 for anything else. */
export function parseRoute(pathname: string): RegistryRoute {
  if (pathname === '/v2' || pathname === '/v2/') return { kind: 'base' };
  if (pathname === '/v2/_catalog') return { kind: 'catalog' };
  const match = PATH_RE.exec(pathname);
  if (!match?.[1] || !match[2]) throw new RegistryError(404, 'NAME_UNKNOWN', 'no such route');
  const repository = assertRepository(decodeURIComponent(match[1]));
  const [what, ...rest] = match[2].split('/');
  const last = decodeURIComponent(rest[rest.length - 1] ?? '');
  if (what === 'manifests') return { kind: 'manifest', repository, reference: last };
  if (what === 'tags') return { kind: 'tags', repository };
  if (what === 'referrers') return { kind: 'referrers', repository, digest: last };
  if (rest[0] !== 'uploads' || rest.length === 1) return { kind: 'blob', repository, digest: last };
  return last === '' ? { kind: 'uploads', repository } : { kind: 'upload', repository, uuid: last };
}

/** actionsOf is what a route and method need of the access hook (the token scope's actions). */
export function actionsOf(
  route: RegistryRoute,
  method: string,
): readonly RegistryAction[] | 'catalog' {
  if (route.kind === 'catalog') return 'catalog';
  if (route.kind === 'base') return [];
  if (method === 'DELETE' && (route.kind === 'manifest' || route.kind === 'blob'))
    return ['delete'];
  if (method === 'GET' || method === 'HEAD') {
    return route.kind === 'upload' ? ['push'] : ['pull'];
  }
  // A mount reads the source repository too; the hook sees `from` in the query of the request.
  return route.kind === 'uploads' ? ['pull', 'push'] : ['push'];
}

/** repositoryOfRoute is the repository a route names, if any. */
export function repositoryOfRoute(route: RegistryRoute): string | undefined {
  return 'repository' in route ? route.repository : undefined;
}
