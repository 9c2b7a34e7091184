import { json } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { apiVersionProblem, splitVersionPrefix } from './api-version';
import { API_VERSION, ENGINE_HEADERS } from './engine-api';
import { sendEngineError } from './engine-exception.filter';

/**
 * engineHeaders puts `Api-Version`, `Ostype` and `Server` on every response, errors and 404s
 * included: the CLI negotiates from `Api-Version` even on a failed ping.
 */
export function engineHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set(ENGINE_HEADERS);
  next();
}

/**
 * versionPrefix strips a `/vX.Y` prefix once, before routing, so controllers declare unversioned
 * paths; it records the version in `res.locals.apiVersion` (the advertised version when absent)
 * and answers 400 with Docker's message for a version the gateway does not serve.
 */
export function versionPrefix(req: Request, res: Response, next: NextFunction): void {
  const { version, url } = splitVersionPrefix(req.url);
  const problem = version === undefined ? undefined : apiVersionProblem(version);
  if (problem !== undefined) {
    sendEngineError(res, 400, problem);
    return;
  }
  req.url = url;
  res.locals['apiVersion'] = version ?? API_VERSION;
  next();
}

const parseJson = json();

/**
 * engineJsonBody parses JSON bodies ahead of Nest's own parser (which then leaves them alone) so
 * a body that is not JSON answers like the daemon's `httputils.ReadJSON`: 400 `invalid JSON: …`;
 * the parser's other refusals (a body too large, an unknown charset) keep their 4xx status.
 */
export function engineJsonBody(req: Request, res: Response, next: NextFunction): void {
  parseJson(req, res, (err?: unknown) => {
    if (err === undefined || err === null) return next();
    const { status, message } = bodyErrorOf(err);
    sendEngineError(res, status, message);
  });
}

function bodyErrorOf(err: unknown): { status: number; message: string } {
  const { status, expose, message } = err as {
    status?: unknown;
    expose?: unknown;
    message?: unknown;
  };
  if (err instanceof SyntaxError) return { status: 400, message: `invalid JSON: ${err.message}` };
  if (typeof status === 'number' && status >= 400 && status < 500 && expose === true)
    return { status, message: String(message) };
  return { status: 400, message: 'invalid JSON: the request body could not be read' };
}
