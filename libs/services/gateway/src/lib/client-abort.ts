import type { Response } from 'express';

/**
 * clientAbort is a signal that aborts when the client goes away before its answer was written
 * (the connection closed early), so the exporter stops loading, importing or saving for no one.
 */
export function clientAbort(res: Response): AbortSignal {
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  return gone.signal;
}
