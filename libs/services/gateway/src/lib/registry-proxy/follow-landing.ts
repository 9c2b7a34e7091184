import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlobRef, BlobStore } from '@stevedore/blob-port';
import { isDomainError } from '@stevedore/domain';

/** How often a miss looks for the ingest of a blob whose download has not started yet. */
const INGEST_POLL_MS = 50;

/**
 * followLanding streams a blob a pull is bringing while it lands in the store: it waits for the
 * blob's ingest to appear (the fetcher may still be busy with other blobs), then follows it. When
 * the pull fails to bring the blob (`landed` rejects), the stream is destroyed: the client's
 * download breaks rather than ends short. `started` tells when the download began, so the
 * follower looks for the ingest then rather than at its next poll. Undefined when the blob landed and is gone again
 * (collected) before it could be followed.
 */
export async function followLanding(
  store: Required<Pick<BlobStore, 'follow'>>,
  blob: BlobRef,
  landed: Promise<void>,
  started: Promise<void> = landed,
): Promise<Readable | undefined> {
  const state: { settled: boolean; failure?: unknown } = { settled: false };
  const settled = landed.then(
    () => void (state.settled = true),
    (failure: unknown) => void Object.assign(state, { settled: true, failure }),
  );
  let firstStart = started.catch(() => undefined);
  for (;;) {
    // Read before the attempt: a blob that landed meanwhile is followed (read) whole all the same.
    const before = { ...state };
    if (before.settled && before.failure !== undefined) throw before.failure;
    const stream = await followIfThere(store, blob);
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

async function followIfThere(
  store: Required<Pick<BlobStore, 'follow'>>,
  blob: BlobRef,
): Promise<Readable | undefined> {
  try {
    return await store.follow(blob);
  } catch (err) {
    if (isDomainError(err) && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}

const never = new Promise<void>(() => undefined);

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
