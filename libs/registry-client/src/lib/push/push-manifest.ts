import { Digest, DomainError, Reference, parseManifest } from '@stevedore/domain';
import { pushScope } from '../auth/scope';
import { ClientContext, apiPath, endpoints } from '../context';
import { Endpoint } from '../http/endpoint';
import { firstHeader } from '../http/headers';
import { withRetry } from '../http/retry';

/**
 * pushManifest PUTs the exact manifest bytes under `ref`'s tag or digest with `Content-Type: mediaType`
 * (§3.5). The bytes are validated first (schema 1 and malformed documents are refused), a digest
 * reference must match the bytes, and the registry's `Docker-Content-Digest` must equal our digest.
 * Returns the manifest digest. Never goes to a mirror.
 */
export async function pushManifest(
  ctx: ClientContext,
  ref: Reference,
  bytes: Uint8Array,
  mediaType?: string,
): Promise<Digest> {
  const parsed = parseManifest(bytes, mediaType, {
    reference: ref.familiar(),
    ...(ref.digest ? { expectedDigest: ref.digest } : {}),
  });
  const target = ref.normalized().manifestReference;
  const ep = endpoints(ctx, ref, 'push')[0] as Endpoint;
  const res = await withRetry(ctx.options.retry, () =>
    ctx.http.send({
      endpoint: ep,
      method: 'PUT',
      target: apiPath(ref, `manifests/${target}`),
      scopes: [pushScope(ref.path)],
      headers: { 'content-type': parsed.mediaType, 'content-length': String(bytes.byteLength) },
      body: () => bytes,
      ok: [200, 201, 202],
    }),
  );
  await res.body.dump();
  const echoed = firstHeader(res.headers, 'docker-content-digest');
  if (echoed && echoed !== parsed.digest.toString()) {
    throw DomainError.digestMismatch(
      `registry stored manifest ${echoed}, we pushed ${parsed.digest}`,
    );
  }
  return parsed.digest;
}
