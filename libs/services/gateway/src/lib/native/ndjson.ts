import type { Response } from 'express';
import { Observable } from 'rxjs';
import { asDomainError } from '@stevedore/domain';
import { internalErrorMessage, logUnexpected } from '@stevedore/observability';

/**
 * streamNdjson writes each value of `events` as one JSON line, flushing as it goes. An error
 * before the first line becomes a normal HTTP error (the exception filter renders it); after
 * the stream started it becomes a final `{"event":"error"}` line.
 */
export function streamNdjson<T>(
  res: Response,
  events: Observable<T>,
  render: (event: T) => object,
): Promise<void> {
  return new Promise((resolve) => {
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      res.status(200).setHeader('Content-Type', 'application/x-ndjson');
      res.flushHeaders();
    };
    const subscription = events.subscribe({
      next: (event) => {
        start();
        res.write(`${JSON.stringify(render(event))}\n`);
      },
      error: (err: unknown) => {
        start();
        const payload = asDomainError(err)?.toErrorPayload() ?? {
          code: 'INTERNAL',
          message: internalErrorMessage(logUnexpected('NDJSON stream', err)),
        };
        res.end(`${JSON.stringify({ event: 'error', ...payload })}\n`);
        resolve();
      },
      complete: () => {
        start();
        res.end();
        resolve();
      },
    });
    res.on('close', () => subscription.unsubscribe());
  });
}
