import { open } from 'node:fs/promises';

/** Per directory: the fsync running now, and the one queued to start when it ends. */
const running = new Map<string, Promise<void>>();
const queued = new Map<string, Promise<void>>();

/**
 * fsyncDir makes a rename or unlink in `dir` durable (a no-op where directories cannot be opened).
 * Concurrent callers share fsyncs, as a database's group commit does: a change made before an
 * fsync of `dir` starts is made durable by it, so while one runs, every caller that arrives waits
 * for the single next one. Blobs commit into a few shared directories, six at a time, and each
 * fsync of a directory is a journal commit.
 */
export function fsyncDir(dir: string): Promise<void> {
  const next = queued.get(dir);
  if (next) return next;
  const now = running.get(dir);
  if (!now) return start(dir);
  const later = now.then(() => start(dir));
  queued.set(dir, later);
  return later;
}

function start(dir: string): Promise<void> {
  queued.delete(dir);
  const done = syncOnce(dir).finally(() => {
    if (running.get(dir) === done) running.delete(dir);
  });
  running.set(dir, done);
  return done;
}

async function syncOnce(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** isNotFound tells whether a filesystem error means "no such file". */
export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'ENOENT';
}
