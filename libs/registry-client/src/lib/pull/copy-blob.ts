import { Descriptor, Digest, DomainError, Reference, isDomainError } from '@stevedore/domain';
import { ClientContext } from '../context';
import { BlobSink } from './blob-sink';
import { byteCheck } from './byte-check';
import { DownloadState, blobChunks } from './blob-download';

/** BlobTransferOptions observe a blob transfer. */
export interface BlobTransferOptions {
  /** Called after each chunk with the bytes done so far and the blob's size. */
  readonly onProgress?: (bytes: number, total: number) => void;
  /**
   * Calls the transfer off (the pull that wanted it is gone): the request is aborted, no retry
   * follows, and the call rejects with the signal's reason. What the sink holds stays for a resume.
   */
  readonly signal?: AbortSignal;
}

/** BlobCopyResult reports a verified blob download. */
export interface BlobCopyResult {
  readonly digest: Digest;
  readonly size: number;
  /** How many times the download was resumed after an interruption. */
  readonly resumes: number;
}

function freshState(desc: Descriptor, sinkVerifies: boolean, signal?: AbortSignal): DownloadState {
  return {
    verifier: byteCheck(desc, sinkVerifies),
    offset: 0,
    resumes: 0,
    ...(signal ? { signal } : {}),
  };
}

/**
 * startState resumes after what the sink already holds: a verifying sink re-hashed those bytes
 * itself; any other sink's bytes are replayed through the hash so they verify as one stream.
 */
async function startState(
  desc: Descriptor,
  sink: BlobSink,
  signal?: AbortSignal,
): Promise<DownloadState> {
  const verifies = sink.commit !== undefined;
  const state = freshState(desc, verifies, signal);
  const held = sink.offset ?? 0;
  if (held === 0) return state;
  if (verifies && held <= desc.size)
    return { ...state, verifier: byteCheck(desc, true, held), offset: held };
  if (!verifies && held <= desc.size && sink.replay) {
    try {
      for await (const chunk of sink.replay()) state.verifier.update(chunk);
      state.offset = state.verifier.bytes;
      if (state.offset === held) return state;
    } catch (error) {
      if (!isDomainError(error) || error.code !== 'DIGEST_MISMATCH') throw error;
    }
  }
  // Bytes we cannot re-hash cannot be trusted: start over.
  await sink.truncate(0);
  return freshState(desc, verifies, signal);
}

/**
 * copyBlob downloads blob `desc` from `ref`'s repository into `sink`, verifying size and digest while
 * the bytes flow (nothing is buffered beyond one chunk) — or, for a sink with `commit`, counting
 * them while the sink hashes them, and committing it at the end. It resumes after dropped connections with
 * `Range` from the last good byte, and from `sink.offset` when the sink already holds a prefix it can
 * replay. On DIGEST_MISMATCH the sink is told to `discard()` before the error is thrown.
 */
export async function copyBlob(
  ctx: ClientContext,
  ref: Reference,
  desc: Descriptor,
  sink: BlobSink,
  options: BlobTransferOptions = {},
): Promise<BlobCopyResult> {
  options.signal?.throwIfAborted();
  const state = await startState(desc, sink, options.signal);
  const restart = async (): Promise<void> => {
    await sink.truncate(0);
    const resumes = state.resumes;
    Object.assign(state, freshState(desc, sink.commit !== undefined, options.signal), { resumes });
  };
  try {
    if (state.offset < desc.size) {
      for await (const chunk of blobChunks(ctx, ref, desc, state, restart)) {
        await sink.write(chunk);
        options.onProgress?.(state.offset, desc.size);
      }
    }
    const digest = state.verifier.verify();
    await sink.commit?.();
    return { digest, size: desc.size, resumes: state.resumes };
  } catch (error) {
    if (isDomainError(error) && error.code === 'DIGEST_MISMATCH') await sink.discard();
    throw error;
  }
}

/**
 * openBlob streams blob `desc` as an async iterable of chunks, verified as they flow: the iteration
 * throws DIGEST_MISMATCH at the end (or as soon as the size is exceeded), so a consumer must treat what
 * it received as unverified until the loop completes. Dropped connections are resumed with `Range`;
 * a registry that refuses to resume mid-stream ends the iteration with UNAVAILABLE.
 */
export async function* openBlob(
  ctx: ClientContext,
  ref: Reference,
  desc: Descriptor,
  options: BlobTransferOptions = {},
): AsyncGenerator<Uint8Array> {
  const state = freshState(desc, false);
  const restart = async (): Promise<void> => {
    throw new DomainError(
      'UNAVAILABLE',
      `the registry could not resume ${desc.digest} at byte ${state.offset}`,
    );
  };
  for await (const chunk of blobChunks(ctx, ref, desc, state, restart)) {
    yield chunk;
    options.onProgress?.(state.offset, desc.size);
  }
  state.verifier.verify();
}

/**
 * readBlob downloads a small blob (an image config) into memory, verified; throws INVALID_ARGUMENT
 * when the descriptor announces more than `maxBytes`.
 */
export async function readBlob(
  ctx: ClientContext,
  ref: Reference,
  desc: Descriptor,
  maxBytes: number,
): Promise<Buffer> {
  if (desc.size > maxBytes)
    throw DomainError.invalidArgument(
      `blob ${desc.digest} is ${desc.size} bytes, more than the ${maxBytes} allowed here`,
    );
  const chunks: Uint8Array[] = [];
  for await (const chunk of openBlob(ctx, ref, desc)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
