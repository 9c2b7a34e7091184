import {
  Descriptor,
  Digest,
  DomainError,
  MediaType,
  Reference,
  parseManifest,
} from '@stevedore/domain';
import { pullScope } from '../auth/scope';
import { ClientContext, apiPath, endpoints } from '../context';
import { Endpoint } from '../http/endpoint';
import { tryEndpoints } from '../http/fallback';
import { firstHeader } from '../http/headers';
import { readCapped } from '../http/read-capped';
import { RetryPolicy, withRetry } from '../http/retry';
import { getFrom, retryPolicyFor } from '../pull/manifests';

/** Referrers are the manifests whose `subject` is a digest, as a registry lists them. */
export interface Referrers {
  readonly manifests: readonly Descriptor[];
  /** Whether the registry applied the `artifactType` filter (`OCI-Filters-Applied`). */
  readonly filtered: boolean;
}

/**
 * listReferrers asks for the referrers of `ref`'s digest (OCI distribution 1.1 `GET
 * /v2/<name>/referrers/<digest>`, from the registry's mirrors in order, then the registry). An
 * endpoint without the API (404) is asked for the tag schema's index instead: the tag
 * `<alg>-<hex>`, which clients that push referrers keep up to date there; no such tag is none.
 */
export async function listReferrers(
  ctx: ClientContext,
  ref: Reference,
  artifactType?: string,
): Promise<Referrers> {
  if (!ref.digest) throw DomainError.invalidArgument(`${ref.familiar()}: referrers need a digest`);
  return tryEndpoints(
    endpoints(ctx, ref, 'pull'),
    async (ep, isLast) => {
      const policy = retryPolicyFor(ctx, isLast);
      const listed = await withRetry(policy, () => referrersFrom(ctx, ep, ref, artifactType));
      return listed ?? tagSchemaAt(ctx, ep, ref, policy);
    },
    ctx.options.logger,
  );
}

/** tagSchemaAt reads the referrers tag of `ref`'s digest where the API is missing. */
async function tagSchemaAt(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  policy: RetryPolicy,
): Promise<Referrers> {
  const subject = ref.digest as Digest;
  const tag = `${subject.algorithm}-${subject.hex}`;
  try {
    const index = await getFrom(ctx, ep, Reference.of({ ...ref, tag, digest: undefined }), policy);
    return { manifests: index.kind === 'index' ? index.index.manifests : [], filtered: false };
  } catch (err) {
    // No tag (or no repository) there: no referrers, and no reason to ask the next endpoint.
    if (err instanceof DomainError && err.code === 'NOT_FOUND')
      return { manifests: [], filtered: false };
    throw err;
  }
}

/** referrersFrom GETs the referrers index from one endpoint; undefined when it has no such API. */
async function referrersFrom(
  ctx: ClientContext,
  endpoint: Endpoint,
  ref: Reference,
  artifactType: string | undefined,
): Promise<Referrers | undefined> {
  const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
  const res = await ctx.http.send({
    endpoint,
    method: 'GET',
    target: `${apiPath(ref, `referrers/${ref.digest?.toString() ?? ''}`)}${query}`,
    scopes: [pullScope(ref.path)],
    headers: { accept: MediaType.OciIndex },
    ok: [200, 404],
  });
  if (res.status === 404) {
    await res.body.dump();
    return undefined;
  }
  const bytes = await readCapped(
    res.body,
    ctx.options.maxManifestBytes,
    `referrers of ${ref.familiar()}`,
  );
  const parsed = parseManifest(bytes, MediaType.OciIndex, { reference: ref.familiar() });
  if (parsed.kind !== 'index')
    throw DomainError.invalidArgument(`referrers of ${ref.familiar()} are no index`);
  const applied = firstHeader(res.headers, 'oci-filters-applied') ?? '';
  return {
    manifests: parsed.index.manifests,
    filtered: applied.split(',').includes('artifactType'),
  };
}
