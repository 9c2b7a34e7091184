import { Reference } from '@stevedore/domain';
import { CATALOG_SCOPE, pullScope } from '../auth/scope';
import { ClientContext, endpoints } from '../context';
import { Endpoint, endpointsFor } from '../http/endpoint';
import { paginate } from './paginate';

/** ListOptions tune a listing. */
export interface ListOptions {
  /** Items per page (`n`); default: the registry's choice. */
  readonly pageSize?: number;
}

/**
 * listTags yields every tag of `ref`'s repository in the registry's order (lexical), page by page.
 * Listings always go to the registry itself, never to a mirror (a mirror may hold only part of it).
 */
export function listTags(
  ctx: ClientContext,
  ref: Reference,
  options: ListOptions = {},
): AsyncGenerator<string> {
  const eps = endpoints(ctx, ref, 'push');
  return paginate(ctx, {
    endpoint: eps[0] as Endpoint,
    path: `/v2/${ref.path}/tags/list`,
    field: 'tags',
    scopes: [pullScope(ref.path)],
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
  });
}

/**
 * listCatalog yields every repository name of `registry` from `GET /v2/_catalog` (a distribution
 * extension; many hosted registries refuse it with UNAUTHORIZED, DENIED, NOT_FOUND or UNSUPPORTED).
 */
export function listCatalog(
  ctx: ClientContext,
  registry: string,
  options: ListOptions = {},
): AsyncGenerator<string> {
  const ep = endpointsFor(registry, ctx.options, 'push')[0] as Endpoint;
  return paginate(ctx, {
    endpoint: ep,
    path: '/v2/_catalog',
    field: 'repositories',
    scopes: [CATALOG_SCOPE],
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
  });
}
