import { RegistryAction } from './scope';

/** Request headers as node:http hands them over. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** What one `/v2/` request needs, asked of the access controller before anything else is done. */
export interface AccessRequest {
  method: string;
  /** The repository the request names; absent for `/v2/` itself and for the catalog. */
  repository?: string;
  /** The actions the request needs on `repository`, `[]` for the base check, or the catalog. */
  actions: readonly RegistryAction[] | 'catalog';
  headers: RequestHeaders;
  remoteAddress: string | undefined;
}

/** The spec's error JSON, `{"errors":[{code, message, detail}]}`. */
export interface OciErrorBody {
  errors: { code: string; message: string; detail?: unknown }[];
}

/** A refusal: the status, the `WWW-Authenticate` challenge (on 401) and the error body. */
export interface AccessRefusal {
  allowed: false;
  status: 401 | 403;
  headers: Record<string, string>;
  body: OciErrorBody;
}

/**
 * A grant: `identity` names who was let in (`user:<name>`, `token:<subject>`) or is undefined for
 * an anonymous client, so that per-client limits can key on it.
 */
export interface AccessGrant {
  allowed: true;
  identity: string | undefined;
}

export type AccessDecision = AccessGrant | AccessRefusal;

/** The seam the `/v2/` server calls on every request. */
export interface RegistryAccessController {
  authorize(request: AccessRequest): Promise<AccessDecision>;
}
