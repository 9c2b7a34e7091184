import {
  Digest,
  DomainError,
  MANIFEST_MEDIA_TYPES,
  ParsedManifest,
  Reference,
  parseManifest,
} from '@stevedore/domain';
import { pullScope } from '../auth/scope';
import { ClientContext, apiPath, endpoints } from '../context';
import { Endpoint } from '../http/endpoint';
import { tryEndpoints } from '../http/fallback';
import { firstHeader, mediaTypeOf } from '../http/headers';
import { RateLimit, parseRateLimit } from '../http/rate-limit';
import { readCapped } from '../http/read-capped';
import { RetryPolicy, withRetry } from '../http/retry';
import { HttpResponse } from '../http/transport';

/**
 * MANIFEST_ACCEPT is the `Accept` value for manifest HEAD and GET (§2.2): the four supported types,
 * then `*∕*` so that a schema-1-only tag comes back as something we can reject clearly.
 */
export const MANIFEST_ACCEPT = [...MANIFEST_MEDIA_TYPES, '*/*'].join(', ');

/** ManifestHead is what a manifest HEAD (or a GET standing in for it) reveals without parsing. */
export interface ManifestHead {
  readonly digest: Digest;
  readonly mediaType?: string;
  readonly size: number;
  readonly rateLimit?: RateLimit;
}

/** FetchedManifest is a parsed, verified manifest or index with where it came from. */
export type FetchedManifest = ParsedManifest & {
  readonly origin: string;
  readonly rateLimit?: RateLimit;
};

/** retryPolicyFor gives mirrors one try (the next endpoint is the retry) and the registry the full policy. */
export function retryPolicyFor(ctx: ClientContext, isLast: boolean): RetryPolicy {
  return isLast ? ctx.options.retry : { ...ctx.options.retry, attempts: 1 };
}

function manifestCall(ep: Endpoint, ref: Reference, method: 'GET' | 'HEAD') {
  return {
    endpoint: ep,
    method,
    target: apiPath(ref, `manifests/${ref.manifestReference}`),
    scopes: [pullScope(ref.path)],
    headers: { accept: MANIFEST_ACCEPT },
    ok: [200],
  } as const;
}

function headerDigest(res: HttpResponse): Digest | undefined {
  const value = firstHeader(res.headers, 'docker-content-digest');
  return value && Digest.isValid(value) ? Digest.parse(value) : undefined;
}

function headFrom(res: HttpResponse, ref: Reference): ManifestHead | undefined {
  const digest = ref.digest ?? headerDigest(res);
  const length = Number(firstHeader(res.headers, 'content-length'));
  if (!digest || !Number.isSafeInteger(length)) return undefined;
  const mediaType = mediaTypeOf(firstHeader(res.headers, 'content-type'));
  const rateLimit = parseRateLimit(res.headers);
  return {
    digest,
    size: length,
    ...(mediaType ? { mediaType } : {}),
    ...(rateLimit ? { rateLimit } : {}),
  };
}

async function headOnce(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
): Promise<ManifestHead | undefined> {
  try {
    const res = await ctx.http.send(manifestCall(ep, ref, 'HEAD'));
    await res.body.dump();
    return headFrom(res, ref);
  } catch (error) {
    // HEAD answers carry no error body: a GET repeats the question and gets the registry's words.
    if (error instanceof DomainError && error.details?.['temporary'] !== true) return undefined;
    throw error;
  }
}

/**
 * resolveManifest finds the digest, size and media type a tag or digest currently points at, with a
 * HEAD (free of pull quota on Docker Hub); when HEAD is refused or lacks `Docker-Content-Digest` /
 * `Content-Length`, it falls back to a verified GET.
 */
export async function resolveManifest(ctx: ClientContext, ref: Reference): Promise<ManifestHead> {
  return tryEndpoints(
    endpoints(ctx, ref, 'pull'),
    async (ep, isLast) => {
      const head = await withRetry(retryPolicyFor(ctx, isLast), () => headOnce(ctx, ep, ref));
      if (head) return head;
      const got = await getFrom(ctx, ep, ref, retryPolicyFor(ctx, isLast));
      return {
        digest: got.digest,
        size: got.size,
        mediaType: got.mediaType,
        ...(got.rateLimit ? { rateLimit: got.rateLimit } : {}),
      };
    },
    ctx.options.logger,
  );
}

async function readManifestBody(
  ctx: ClientContext,
  res: HttpResponse,
  ref: Reference,
): Promise<Buffer> {
  const declared = Number(firstHeader(res.headers, 'content-length'));
  const max = ctx.options.maxManifestBytes;
  if (Number.isSafeInteger(declared) && declared > max) {
    res.body.destroy();
    throw DomainError.invalidArgument(
      `manifest too large: ${ref.familiar()} is ${declared} bytes, the limit is ${max}`,
    );
  }
  return readCapped(res.body, max, `manifest ${ref.familiar()}`);
}

/** getFrom GETs and verifies the manifest `ref` names from one endpoint (no fallback). */
export async function getFrom(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  policy: RetryPolicy,
): Promise<FetchedManifest> {
  return withRetry(policy, async () => {
    const res = await ctx.http.send(manifestCall(ep, ref, 'GET'));
    const bytes = await readManifestBody(ctx, res, ref);
    const expected = ref.digest ?? headerDigest(res);
    const parsed = parseManifest(bytes, firstHeader(res.headers, 'content-type'), {
      reference: ref.familiar(),
      ...(expected ? { expectedDigest: expected } : {}),
    });
    const rateLimit = parseRateLimit(res.headers);
    return { ...parsed, origin: ep.origin, ...(rateLimit ? { rateLimit } : {}) };
  });
}

/**
 * fetchManifest GETs the manifest or index `ref` names (tag or digest), reading at most
 * `maxManifestBytes`, verifying the bytes against the requested digest or else the
 * `Docker-Content-Digest` header, rejecting schema 1, and trying mirrors first.
 */
export async function fetchManifest(ctx: ClientContext, ref: Reference): Promise<FetchedManifest> {
  return tryEndpoints(
    endpoints(ctx, ref, 'pull'),
    (ep, isLast) => getFrom(ctx, ep, ref, retryPolicyFor(ctx, isLast)),
    ctx.options.logger,
  );
}
