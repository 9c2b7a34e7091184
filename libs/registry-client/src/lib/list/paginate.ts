import { DomainError } from '@stevedore/domain';
import { ClientContext } from '../context';
import { Endpoint } from '../http/endpoint';
import { firstHeader } from '../http/headers';
import { readCapped } from '../http/read-capped';
import { RetryPolicy, withRetry } from '../http/retry';
import { nextLink } from './link-header';

const MAX_PAGE_BYTES = 8 * 1024 * 1024;

/** PageRequest says which listing to walk. */
export interface PageRequest {
  readonly endpoint: Endpoint;
  readonly path: string;
  readonly field: 'tags' | 'repositories';
  readonly scopes: readonly string[];
  /** `n`: items per page; undefined lets the registry choose. */
  readonly pageSize?: number;
  /** Retries per page; default the client's policy (a mirror gets one try: the next endpoint is its retry). */
  readonly retry?: RetryPolicy;
}

/** pageItems reads a listing body's array field; `null` or a missing field is an empty page (T11). */
export function pageItems(body: unknown, field: string): string[] {
  const value =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)[field]
      : undefined;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw DomainError.invalidArgument(`registry listing has an invalid "${field}" field`);
  }
  return value as string[];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw DomainError.invalidArgument('registry listing is not JSON');
  }
}

function firstUrl(req: PageRequest): URL {
  const url = new URL(req.path, req.endpoint.origin);
  if (req.pageSize !== undefined) url.searchParams.set('n', String(req.pageSize));
  return url;
}

/** fallbackNext is the pre-`Link` convention: a full page means "ask again after its last item". */
function fallbackNext(
  url: URL,
  items: readonly string[],
  pageSize: number | undefined,
): URL | undefined {
  const last = items[items.length - 1];
  // A page longer than `n` means the registry ignores `n` (and so `last`): there is nothing more to ask.
  if (pageSize === undefined || items.length !== pageSize || last === undefined) return undefined;
  const next = new URL(url);
  next.searchParams.set('last', last);
  return next;
}

/**
 * paginate walks a tags or catalog listing page by page (§2.5–2.6), following `Link: <…>; rel="next"`
 * (relative targets resolved against the request URL), or — from registries without `Link` — asking
 * for `last=<final item>` after each page of exactly `n` items; it stops when a page repeats the previous one.
 */
export async function* paginate(ctx: ClientContext, req: PageRequest): AsyncGenerator<string> {
  let url: URL | undefined = firstUrl(req);
  let previousLast: string | undefined;
  while (url) {
    const pageUrl: URL = url;
    const res = await withRetry(req.retry ?? ctx.options.retry, () =>
      ctx.http.send({
        endpoint: req.endpoint,
        method: 'GET',
        target: pageUrl,
        scopes: req.scopes,
        ok: [200],
      }),
    );
    const bytes = await readCapped(res.body, MAX_PAGE_BYTES, 'listing page');
    const items = pageItems(parseJson(bytes.toString('utf8')), req.field);
    // A registry that ignored `last` sends the previous page again: stop rather than repeat it.
    if (previousLast !== undefined && items.includes(previousLast)) return;
    yield* items;
    previousLast = items[items.length - 1];
    url =
      nextLink(firstHeader(res.headers, 'link'), pageUrl) ??
      fallbackNext(pageUrl, items, req.pageSize);
  }
}
