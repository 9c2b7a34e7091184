import type { NextFunction, Request, Response } from 'express';
import { apiVersionProblem, splitVersionPrefix } from './api-version';
import { API_VERSION, DEFAULT_MIN_API_VERSION, ENGINE_HEADERS } from './engine-api';
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
 * versionPrefix makes the middleware that strips a `/vX.Y` prefix once, before routing, so
 * controllers declare unversioned paths. It records the version in `res.locals.apiVersion` (the
 * advertised version when absent) and the operator's floor in `res.locals.minApiVersion` (for
 * `/version`), and answers 400 with Docker's message for a version outside `minimum`…maximum.
 */
export function versionPrefix(minimum: string = DEFAULT_MIN_API_VERSION) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const { version, url } = splitVersionPrefix(req.url);
    const problem = version === undefined ? undefined : apiVersionProblem(version, minimum);
    if (problem !== undefined) {
      sendEngineError(res, 400, problem, version);
      return;
    }
    req.url = url;
    res.locals['apiVersion'] = version ?? API_VERSION;
    res.locals['minApiVersion'] = minimum;
    next();
  };
}
