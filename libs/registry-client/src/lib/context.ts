import { Reference, parseReference } from '@stevedore/domain';
import { Endpoint, endpointsFor } from './http/endpoint';
import { RegistryHttp } from './http/registry-http';
import { ResolvedOptions } from './options';

/** ClientContext is what every operation module needs: options, the authorizing HTTP layer and endpoint routing. */
export interface ClientContext {
  readonly options: ResolvedOptions;
  readonly http: RegistryHttp;
}

/** RepositoryLike names a repository: a parsed {@link Reference} or a reference string (tag/digest ignored where irrelevant). */
export type RepositoryLike = Reference | string;

/** toReference parses a string reference (Docker normalisation); a Reference passes through. */
export function toReference(ref: RepositoryLike): Reference {
  return typeof ref === 'string' ? parseReference(ref) : ref;
}

/** endpoints lists where requests for `ref`'s registry go (mirrors first for pulls). */
export function endpoints(
  ctx: ClientContext,
  ref: Reference,
  purpose: 'pull' | 'push',
): Endpoint[] {
  return endpointsFor(ref.domain, ctx.options, purpose);
}

/** apiPath builds `/v2/<path>/<rest>` for a repository (`rest` is already encoded where needed). */
export function apiPath(ref: Reference, rest: string): string {
  return `/v2/${ref.path}/${rest}`;
}
