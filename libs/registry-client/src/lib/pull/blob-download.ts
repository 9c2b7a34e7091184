import { setTimeout as sleep } from 'node:timers/promises';
import { Descriptor, DomainError, Reference } from '@stevedore/domain';
import { pullScope } from '../auth/scope';
import { ClientContext, apiPath, endpoints } from '../context';
import { Endpoint } from '../http/endpoint';
import { shouldFallBack } from '../http/fallback';
import { firstHeader } from '../http/headers';
import { RetryPolicy, backoffDelay } from '../http/retry';
import { HttpResponse } from '../http/transport';
import { isTemporary, safeLocation, toTransportError } from '../http/transport-error';
import type { ByteCheck } from './byte-check';
import { planResume } from './content-range';
import { retryPolicyFor } from './manifests';

/** DownloadState is the verified progress of one blob download, carried across reconnects and endpoints. */
export interface DownloadState {
  /** Sees every byte: a hash, or only a byte count when the sink verifies the digest itself. */
  verifier: ByteCheck;
  offset: number;
  resumes: number;
  /** Set when the download may be called off: it stops the transfer and every retry. */
  readonly signal?: AbortSignal;
}

/** Restart is called when the stream must begin again at byte 0 (a registry refused the range). */
export type Restart = () => Promise<void>;

// Resumptions that make progress do not use up the retry budget; this bounds them anyway.
const MAX_RESUMES = 1000;

function temporary(message: string): DomainError {
  return new DomainError('UNAVAILABLE', message, { temporary: true });
}

async function* bodyChunks(
  res: HttpResponse,
  skip: number,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let toSkip = skip;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      if (toSkip >= chunk.byteLength) {
        toSkip -= chunk.byteLength;
        continue;
      }
      yield toSkip > 0 ? chunk.subarray(toSkip) : chunk;
      toSkip = 0;
    }
  } catch (error) {
    signal?.throwIfAborted();
    throw toTransportError(error, `GET ${safeLocation(res.url)}`);
  }
}

async function openRange(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  desc: Descriptor,
  offset: number,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  return ctx.http.send({
    ...(signal ? { signal } : {}),
    endpoint: ep,
    method: 'GET',
    target: apiPath(ref, `blobs/${desc.digest}`),
    scopes: [pullScope(ref.path)],
    headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
    ok: offset > 0 ? [200, 206, 416] : [200],
    followRedirects: true,
  });
}

/** attempt streams one response into the state, yielding each verified chunk; false = restarted at 0. */
async function* attempt(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  desc: Descriptor,
  state: DownloadState,
  restart: Restart,
): AsyncGenerator<Uint8Array, boolean> {
  const res = await openRange(ctx, ep, ref, desc, state.offset, state.signal);
  const plan = planResume(res.status, firstHeader(res.headers, 'content-range'), state.offset);
  if (plan.kind === 'restart' || plan.kind === 'invalid') {
    await res.body.dump();
    await restart();
    if (plan.kind === 'invalid') throw temporary(`resuming ${desc.digest} failed: ${plan.reason}`);
    return false;
  }
  const skip = plan.kind === 'skip' ? plan.bytes : 0;
  for await (const chunk of bodyChunks(res, skip, state.signal)) {
    state.verifier.update(chunk);
    state.offset += chunk.byteLength;
    yield chunk;
  }
  if (state.offset < desc.size)
    throw temporary(
      `connection closed after ${state.offset} of ${desc.size} bytes of ${desc.digest}`,
    );
  return true;
}

/** downloadFrom streams the rest of the blob from one endpoint, resuming with Range after temporary failures. */
async function* downloadFrom(
  ctx: ClientContext,
  ep: Endpoint,
  ref: Reference,
  desc: Descriptor,
  state: DownloadState,
  restart: Restart,
  policy: RetryPolicy,
): AsyncGenerator<Uint8Array> {
  let failures = 0;
  for (;;) {
    const before = state.offset;
    try {
      if (yield* attempt(ctx, ep, ref, desc, state, restart)) return;
    } catch (error) {
      state.signal?.throwIfAborted();
      if (!isTemporary(error)) throw error;
      // A failure after progress starts the count afresh: only stuck attempts use up the budget.
      failures = state.offset > before ? 1 : failures + 1;
      if (failures >= policy.attempts || state.resumes >= MAX_RESUMES) throw error;
      state.resumes++;
      const retryAfter = (error as DomainError).details?.['retryAfterMs'];
      if (typeof retryAfter === 'number' && retryAfter > policy.maxRetryAfterMs) throw error;
      const delay = typeof retryAfter === 'number' ? retryAfter : backoffDelay(policy, failures);
      ctx.options.logger?.debug('blob download interrupted, resuming', {
        digest: `${desc.digest}`,
        offset: state.offset,
        delay,
      });
      await sleep(delay, undefined, state.signal ? { signal: state.signal } : {}).catch(() =>
        state.signal?.throwIfAborted(),
      );
    }
  }
}

/**
 * blobChunks streams blob `desc` of `ref`'s repository from `state.offset` on, trying mirrors first:
 * every yielded chunk has been fed to `state.verifier` (which throws DIGEST_MISMATCH as soon as the
 * size is exceeded). Dropped connections resume with `Range: bytes=<offset>-` (T13); the caller calls
 * `state.verifier.verify()` at the end.
 */
export async function* blobChunks(
  ctx: ClientContext,
  ref: Reference,
  desc: Descriptor,
  state: DownloadState,
  restart: Restart,
): AsyncGenerator<Uint8Array> {
  const eps = endpoints(ctx, ref, 'pull');
  for (let i = 0; i < eps.length; i++) {
    const isLast = i === eps.length - 1;
    try {
      yield* downloadFrom(
        ctx,
        eps[i] as Endpoint,
        ref,
        desc,
        state,
        restart,
        retryPolicyFor(ctx, isLast),
      );
      return;
    } catch (error) {
      if (isLast || !shouldFallBack(error)) throw error;
      ctx.options.logger?.warn('mirror failed, trying the next endpoint', {
        mirror: eps[i]?.origin,
        reason: (error as Error).message,
      });
    }
  }
}
