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

/** STREAMED_BODIES are the routes whose body is a byte stream for the handler (`docker build`'s context). */
const STREAMED_BODIES: readonly RegExp[] = [/^\/build\/?$/];

/**
 * streamedBodies keeps the body parsers off the routes that stream their body, whatever its
 * Content-Type says: dockerd reads a build context sent as `application/x-www-form-urlencoded`
 * (curl's default) as a tar too. The parsers act by Content-Type only, so it is dropped there; the
 * handler reads the bytes, never the header.
 */
export function streamedBodies(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'POST' && STREAMED_BODIES.some((route) => route.test(req.path)))
    delete req.headers['content-type'];
  next();
}
