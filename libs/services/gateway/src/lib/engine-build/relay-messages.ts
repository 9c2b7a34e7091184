import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { asDomainError } from '@stevedore/domain';
import { errorMessage } from '../engine-images/pull/json-stream';

/**
 * relayMessages copies the builder's JSON message stream to the client under `application/json`,
 * as it comes. A client that went away ends the relay quietly (the build is cancelled through its
 * signal); a stream that breaks midway ends with Docker's in-stream error, since the status is
 * already sent.
 */
export async function relayMessages(
  messages: Readable,
  res: Response,
  signal: AbortSignal,
): Promise<void> {
  res.status(200).setHeader('Content-Type', 'application/json');
  // The build has started: say so now, though its first step may take a while to print.
  res.flushHeaders();
  try {
    await pipeline(messages, res, { end: false });
  } catch (err) {
    if (signal.aborted || res.destroyed) return;
    const message = asDomainError(err)?.message ?? 'build stream broken: internal error';
    res.write(`${JSON.stringify(errorMessage(message))}\r\n`);
  }
  res.end();
}
