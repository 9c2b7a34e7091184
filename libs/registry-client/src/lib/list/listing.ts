import { DomainError, Reference } from '@stevedore/domain';
import { shouldFallBack } from '../http/fallback';
import { retryPolicyFor } from '../pull/manifests';
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
 * listTags yields every tag of `ref`'s repository in the registry's order (lexical), page by page,
 * from the first endpoint that answers the first page: the registry's mirrors in order, then the
 * registry (as pulls go). A mirror is left behind as a pull leaves it (down, 5xx/429, 404, auth
 * refusal); once a page came from an endpoint, the whole listing comes from it.
 */
export async function* listTags(
  ctx: ClientContext,
  ref: Reference,
  options: ListOptions = {},
): AsyncGenerator<string> {
  const eps = endpoints(ctx, ref, 'pull');
  for (const [i, endpoint] of eps.entries()) {
    const isLast = i === eps.length - 1;
    const pages = paginate(ctx, {
      endpoint,
      path: `/v2/${ref.path}/tags/list`,
      field: 'tags',
      scopes: [pullScope(ref.path)],
      retry: retryPolicyFor(ctx, isLast),
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    });
    let first: IteratorResult<string>;
    try {
      first = await pages.next();
    } catch (error) {
      if (isLast || !shouldFallBack(error)) throw error;
      ctx.options.logger?.warn('mirror failed, trying the next endpoint', {
        mirror: endpoint.origin,
        code: (error as DomainError).code,
      });
      continue;
    }
    if (!first.done) yield first.value;
    yield* pages;
    return;
  }
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
