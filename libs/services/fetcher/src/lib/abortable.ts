import { setTimeout as sleep } from 'node:timers/promises';

/**
 * whileWanted settles as `work` does, or rejects with the signal's reason as soon as `signal`
 * aborts: the caller stops waiting, the work itself goes on (others may still want it).
 */
export function whileWanted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const leave = () => reject(signal.reason);
    if (signal.aborted) return leave();
    signal.addEventListener('abort', leave, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', leave));
  });
}

/** pause waits `ms`, or rejects with the signal's reason as soon as `signal` aborts. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, signal ? { signal } : {}).catch((err: unknown) => {
    signal?.throwIfAborted();
    throw err;
  });
}
