import type { Response } from 'express';
import { API_VERSION } from '../engine/engine-api';

/** apiVersion is the API version the request's path asked for (recorded by the version middleware). */
export function apiVersion(res: Response): string {
  const version: unknown = res.locals['apiVersion'];
  return typeof version === 'string' ? version : API_VERSION;
}
