import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { asDomainError } from '@stevedore/domain';
import type { WaitResponse } from './wait-container.use-case';

/**
 * answerWait writes a wait's answer as dockerd does: the headers once the runtime confirmed the
 * container (at once from API 1.30: `docker run` must not block on them), then `{Error,
 * StatusCode}` when it exits. An error before the headers rejects (a JSON error answer); after,
 * it can only go in the body. A client that leaves stops the wait.
 */
export function answerWait(
  res: Response,
  events: Observable<WaitResponse | null>,
  early: boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let answer: WaitResponse | undefined;
    const head = () => {
      if (res.headersSent) return;
      res.status(200).setHeader('Content-Type', 'application/json');
      if (early) res.flushHeaders();
    };
    const finish = (body: WaitResponse) => {
      head();
      res.end(`${JSON.stringify(body)}\n`);
      resolve();
    };
    const subscription = events.subscribe({
      next: (event) => (event ? (answer = event) : early && head()),
      error: (err: unknown) => {
        if (!res.headersSent) return reject(err);
        const message = asDomainError(err)?.message ?? 'wait failed';
        finish({ Error: { Message: message }, StatusCode: -1 });
      },
      complete: () =>
        finish(
          answer ?? {
            Error: { Message: 'the runtime ended the wait without an exit status' },
            StatusCode: -1,
          },
        ),
    });
    res.once('close', () => subscription.unsubscribe());
  });
}
