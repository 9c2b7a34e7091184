import type { Response } from 'express';
import { Observable } from 'rxjs';
import { asDomainError, isDomainError } from '@stevedore/domain';
import { internalErrorMessage, logUnexpected } from '@stevedore/observability';
import type { JsonMessage } from '../engine-types';

/** errorMessage is Docker's in-stream error: `errorDetail` (what the CLI acts on) plus the deprecated `error`. */
export function errorMessage(message: string): JsonMessage {
  return { errorDetail: { message }, error: message };
}

// Only domain errors (a full disk is one) carry a message meant for users; anything else may hold
// internals, so it is logged under an id that the message carries instead.
function messageOf(err: unknown): string {
  return asDomainError(err)?.message ?? internalErrorMessage(logUnexpected('JSON stream', err));
}

/**
 * writeJsonStream sends `messages` as Docker's JSON progress stream (`application/json`, one object
 * per `\r\n`, written as it comes). An error before the first message rejects, so the exception
 * filter answers with a status and `{"message"}`, except UNAUTHORIZED, which goes in-stream because
 * an HTTP 401 makes the CLI prompt for a login. Once the stream began, errors go in-stream.
 */
export function writeJsonStream(res: Response, messages: Observable<JsonMessage>): Promise<void> {
  return new Promise((resolve, reject) => {
    let started = false;
    const write = (message: JsonMessage) => {
      if (!started) {
        started = true;
        res.status(200).setHeader('Content-Type', 'application/json');
      }
      res.write(`${JSON.stringify(message)}\r\n`);
    };
    const subscription = messages.subscribe({
      next: write,
      error: (err: unknown) => {
        if (!started && !(isDomainError(err) && err.code === 'UNAUTHORIZED')) return reject(err);
        write(errorMessage(messageOf(err)));
        res.end();
        resolve();
      },
      complete: () => {
        if (!started) res.status(200).setHeader('Content-Type', 'application/json');
        res.end();
        resolve();
      },
    });
    res.on('close', () => subscription.unsubscribe());
  });
}

/**
 * writeJsonResult answers like the daemon's load and import: status 200 at once, then the lines
 * `produce` resolves with, or its failure as an in-stream `errorDetail` (the CLI prints the bare
 * message and exits 1). `request` is drained on failure so the client can read the answer.
 */
export async function writeJsonResult(
  res: Response,
  request: { resume(): unknown },
  produce: () => Promise<JsonMessage[]>,
): Promise<void> {
  res.status(200).setHeader('Content-Type', 'application/json');
  try {
    for (const line of await produce()) res.write(`${JSON.stringify(line)}\r\n`);
  } catch (err) {
    res.write(`${JSON.stringify(errorMessage(messageOf(err)))}\r\n`);
    request.resume();
  }
  res.end();
}

/**
 * writeJsonOrFail answers like the daemon's import (moby's postImagesCreate): the lines `produce`
 * resolves with, under status 200; a failure before anything was written rejects, so the
 * exception filter answers with a status and `{"message"}` (the CLI prints `Error response from
 * daemon: …`). `request` is drained on failure so the client can read the answer.
 */
export async function writeJsonOrFail(
  res: Response,
  request: { resume(): unknown },
  produce: () => Promise<JsonMessage[]>,
): Promise<void> {
  let lines: JsonMessage[];
  try {
    lines = await produce();
  } catch (err) {
    request.resume();
    throw err;
  }
  res.status(200).setHeader('Content-Type', 'application/json');
  for (const line of lines) res.write(`${JSON.stringify(line)}\r\n`);
  res.end();
}
