import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlobRef, BlobStore, FollowOptions } from '@stevedore/blob-port';
import { isDomainError } from '@stevedore/domain';

/** How often a miss looks for the ingest of a blob whose download has not started yet. */
const INGEST_POLL_MS = 50;

/**
 * followLanding streams a blob a pull is bringing while it lands in the store: it waits for the
 * blob's ingest to appear (the fetcher may still be busy with other blobs), then follows it. When
 * the pull fails to bring the blob (`landed` rejects), the stream is destroyed: the client's
 * download breaks rather than ends short. Undefined when the blob landed and is gone again
 * (collected) before it could be followed. `options.offset` starts it at that byte (a range);
 * `options.started` tells when the download began, so the follower looks for the ingest then
 * rather than at its next poll.
 */
export async function followLanding(
  store: Required<Pick<BlobStore, 'follow'>>,
  blob: BlobRef,
  landed: Promise<void>,
  options: LandingOptions = {},
): Promise<Readable | undefined> {
  const state: { settled: boolean; failure?: unknown } = { settled: false };
  const settled = landed.then(
    () => void (state.settled = true),
    (failure: unknown) => void Object.assign(state, { settled: true, failure }),
  );
  const follow = options.offset ? { offset: options.offset } : {};
  let firstStart = options.started?.catch(() => undefined) ?? never;
  for (;;) {
    // Read before the attempt: a blob that landed meanwhile is followed (read) whole all the same.
    const before = { ...state };
    if (before.settled && before.failure !== undefined) throw before.failure;
    const stream = await followIfThere(store, blob, follow);
    if (stream) {
      landed.catch((err: unknown) => stream.destroy(asError(err)));
      return stream;
    }
    if (before.settled) return undefined;
    // Looked once more as soon as the download began: the ingest is there then.
    await Promise.race([settled, sleep(INGEST_POLL_MS), firstStart]);
    firstStart = never;
  }
}

/** Where a follow of a landing blob starts, and when its download began. */
export interface LandingOptions extends Pick<FollowOptions, 'offset'> {
  started?: Promise<void>;
}

const never = new Promise<void>(() => undefined);

async function followIfThere(
  store: Required<Pick<BlobStore, 'follow'>>,
  blob: BlobRef,
  options: FollowOptions,
): Promise<Readable | undefined> {
  try {
    return await store.follow(blob, options);
  } catch (err) {
    if (isDomainError(err) && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * firstBytes gives the first `length` bytes of `source` and then ends, destroying `source` (a
 * follower of a range that ends before the blob does stops reading there). A failure of `source`
 * fails it, and so does its end (or close) before `length` bytes; destroying it destroys `source`.
 */
export function firstBytes(source: Readable, length: number): Readable {
  let left = length;
  const out = new Readable({
    read: () => void source.resume(),
    destroy(err, callback) {
      source.destroy();
      callback(err);
    },
  });
  source.on('data', (chunk: Buffer) => {
    if (left === 0) return;
    const part = chunk.subarray(0, left);
    left -= part.length;
    if (!out.push(part)) source.pause();
    if (left > 0) return;
    out.push(null);
    source.destroy();
  });
  // Once the range is out, the source's end is ours: destroying it may fail it (an HTTP body does).
  source.on('close', () => left > 0 && out.destroy(new Error('the blob ended before the range')));
  source.on('error', (err) => left > 0 && out.destroy(err));
  return out;
}
