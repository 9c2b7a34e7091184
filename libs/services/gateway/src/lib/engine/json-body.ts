import type { IncomingMessage } from 'node:http';
import { json } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { HttpException } from '@nestjs/common';
import { DomainError, isDomainError } from '@stevedore/domain';

/** The largest request body the API parses (JSON or form): its JSON bodies are small documents. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The deepest nesting a JSON body may have: validation walks bodies recursively. */
export const MAX_JSON_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x7b, 0x5b]); // { [
const CLOSERS = new Set([0x7d, 0x5d]); // } ]

/**
 * checkJsonDepth refuses a JSON body nested deeper than {@link MAX_JSON_DEPTH} before it is parsed:
 * one linear pass over the bytes, skipping strings. A deeper body would overflow the stack of the
 * recursive validation after it (a 500) — it is INVALID_ARGUMENT (400) instead. Malformed JSON is
 * left to the parser, which words its own error.
 */
export function checkJsonDepth(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i += 1) {
    const byte = body[i] as number;
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (OPENERS.has(byte) && ++depth > MAX_JSON_DEPTH)
      throw DomainError.invalidArgument(
        `invalid JSON: nested deeper than ${MAX_JSON_DEPTH} levels`,
      );
    else if (CLOSERS.has(byte)) depth -= 1;
  }
}

/** BodyParserError is what body-parser fails a request with (an http-errors error). */
interface BodyParserError {
  status: number;
  expose: boolean;
  message: string;
  type: string;
}

/**
 * bodyParserError reads a body parser's client error (too large, malformed, bad charset) as the
 * status and message to answer, or undefined for anything else.
 */
export function bodyParserError(error: unknown): { status: number; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose, message, type } = error as Partial<BodyParserError>;
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true)
    return undefined;
  if (status === 413)
    return {
      status,
      message: `request body too large: at most ${MAX_BODY_BYTES} bytes are accepted`,
    };
  const text = typeof message === 'string' ? message : 'invalid request body';
  return { status, message: type === 'entity.parse.failed' ? `invalid JSON: ${text}` : text };
}

const parseJson = json({ limit: MAX_BODY_BYTES, verify: checkJsonDepth });

/**
 * engineJsonBody parses JSON bodies, bounded, and words a body it cannot decode as the daemon's
 * httputils.ReadJSON does (`invalid JSON: …`). It runs ahead of Nest's own parser, which leaves a
 * parsed body alone, and it settles the error itself: Nest turns a parser's SyntaxError into a
 * bare BadRequestException, losing what kind of failure it was.
 */
export function engineJsonBody(req: Request, res: Response, next: NextFunction): void {
  parseJson(req, res, (err?: unknown) => {
    if (err === undefined || err === null) return next();
    if (isDomainError(err)) return next(err); // checkJsonDepth's own refusal, already worded
    const parser = bodyParserError(err);
    next(parser ? new HttpException(parser.message, parser.status) : err);
  });
}
