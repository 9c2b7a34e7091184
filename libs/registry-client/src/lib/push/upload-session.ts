import { Descriptor, DigestVerifier, DomainError, Reference } from '@stevedore/domain';
import { pullScope, pushScope } from '../auth/scope';
import { ClientContext, apiPath } from '../context';
import { Endpoint } from '../http/endpoint';
import { firstHeader } from '../http/headers';
import { HttpResponse } from '../http/transport';
import { ByteReader } from './byte-reader';
import { parseUploadRange, resolveLocation, withDigestParam } from './upload-location';

/** BlobOpener opens the bytes of the blob being pushed, afresh for each attempt. */
export type BlobOpener = () => AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>;

function locationOf(res: HttpResponse): URL {
  const location = firstHeader(res.headers, 'location');
  if (!location)
    throw new DomainError(
      'UNAVAILABLE',
      `registry answered ${res.status} without a Location header`,
      { temporary: true },
    );
  return resolveLocation(location, res.url);
}

/**
 * once wraps a streamed request body so that it can be sent only once: a second send (after a 401)
 * fails as a temporary error, and the caller's retry restarts the upload with a freshly opened source.
 */
export function once(body: () => AsyncIterable<Uint8Array>): () => AsyncIterable<Uint8Array> {
  let used = false;
  return () => {
    if (used)
      throw new DomainError('UNAVAILABLE', 'a streamed upload body cannot be sent twice', {
        temporary: true,
      });
    used = true;
    return body();
  };
}

/** verified passes a blob source through, checking size and digest so we never push wrong bytes. */
export async function* verified(
  source: AsyncIterable<Uint8Array>,
  desc: Descriptor,
  onBytes?: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  const verifier = new DigestVerifier(desc.digest, desc.size);
  for await (const chunk of source) {
    verifier.update(chunk);
    yield chunk;
    onBytes?.(verifier.bytes);
  }
  verifier.verify();
}

/** startUpload opens an upload session (`POST …/blobs/uploads/`) and returns its Location. */
export async function startUpload(ctx: ClientContext, ep: Endpoint, ref: Reference): Promise<URL> {
  const res = await ctx.http.send({
    endpoint: ep,
    method: 'POST',
    target: apiPath(ref, 'blobs/uploads/'),
    scopes: [pushScope(ref.path)],
    headers: { 'content-length': '0' },
    body: () => '',
    ok: [202],
  });
  await res.body.dump();
  return locationOf(res);
}

/** MountResult is a mounted blob, or the upload session the registry opened instead (202). */
export type MountResult =
  { readonly mounted: true } | { readonly mounted: false; readonly session: URL };

/** mountBlob asks the registry to link `desc` from repository `from` (§3.3): 201 mounted, 202 upload session. */
export async function mountBlob(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  desc: Descriptor,
  from: string,
): Promise<MountResult> {
  const query = `?mount=${encodeURIComponent(desc.digest.toString())}&from=${encodeURIComponent(from)}`;
  const res = await ctx.http.send({
    endpoint: ep,
    method: 'POST',
    target: apiPath(ref, `blobs/uploads/${query}`),
    scopes: [pushScope(ref.path), pullScope(from)],
    headers: { 'content-length': '0' },
    body: () => '',
    ok: [201, 202],
  });
  await res.body.dump();
  return res.status === 201 ? { mounted: true } : { mounted: false, session: locationOf(res) };
}

/** finishUpload closes a session with `PUT <Location>&digest=` carrying `body` (or nothing after chunks). */
export async function finishUpload(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  desc: Descriptor,
  location: URL,
  body?: AsyncIterable<Uint8Array>,
): Promise<void> {
  const res = await ctx.http.send({
    endpoint: ep,
    method: 'PUT',
    target: withDigestParam(location, desc.digest.toString()),
    scopes: [pushScope(ref.path)],
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(body ? desc.size : 0),
    },
    body: body ? once(() => body) : () => '',
    ok: [201, 204],
  });
  await res.body.dump();
  const echoed = firstHeader(res.headers, 'docker-content-digest');
  if (echoed && echoed !== desc.digest.toString()) {
    throw DomainError.digestMismatch(`registry stored ${echoed} for blob ${desc.digest}`);
  }
}

function chunkHeaders(offset: number, length: number): Record<string, string> {
  return {
    'content-type': 'application/octet-stream',
    'content-length': String(length),
    'content-range': `${offset}-${offset + length - 1}`,
  };
}

/** patchChunks uploads the blob in `chunkSize` PATCH requests (`Content-Range: start-end`) and returns the last Location. */
export async function patchChunks(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  desc: Descriptor,
  location: URL,
  source: AsyncIterable<Uint8Array>,
  chunkSize: number,
): Promise<URL> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  let current = location;
  for (let offset = 0; offset < desc.size;) {
    const length = Math.min(chunkSize, desc.size - offset);
    const res = await ctx.http.send({
      endpoint: ep,
      method: 'PATCH',
      target: current,
      scopes: [pushScope(ref.path)],
      headers: chunkHeaders(offset, length),
      body: once(() => reader.take(length)),
      ok: [202],
    });
    await res.body.dump();
    current = locationOf(res);
    const acknowledged = firstHeader(res.headers, 'range');
    offset += length;
    if (acknowledged !== undefined && parseUploadRange(acknowledged) !== offset) {
      throw new DomainError(
        'UNAVAILABLE',
        `registry acknowledged ${acknowledged} after ${offset} bytes of ${desc.digest}`,
        { temporary: true },
      );
    }
  }
  await reader.finish();
  return current;
}
