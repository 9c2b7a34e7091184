import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** What a request to `/v2/` wants to do with a repository; `catalog` lists every repository. */
export type RegistryAction = 'pull' | 'push' | 'delete';

/**
 * AccessRequest is what the access hook sees of every `/v2/` request, before anything is done:
 * the repository it names (none for `/v2/` itself and `_catalog`), the actions it needs (the
 * Docker token scope's actions, or `catalog`), its headers (Authorization) and the peer address.
 */
export interface AccessRequest {
  readonly method: string;
  readonly repository?: string;
  readonly actions: readonly RegistryAction[] | 'catalog';
  readonly headers: IncomingHttpHeaders;
  readonly remoteAddress: string | undefined;
}

/** AccessRefusal is how a refused request is answered: 401 (with a challenge) or 403, and the OCI error. */
export interface AccessRefusal {
  readonly status: 401 | 403;
  /** The challenge to send with a 401 (`Basic realm=…` or `Bearer realm=…,service=…,scope=…`). */
  readonly wwwAuthenticate?: string;
  readonly code: 'UNAUTHORIZED' | 'DENIED';
  readonly message: string;
}

/** AccessDecision is `allow` or the refusal to send. */
export type AccessDecision = 'allow' | AccessRefusal;

/**
 * RegistryAccess is the seam the registry calls on every request before doing anything (the
 * access-control helper provides htpasswd and token implementations under {@link REGISTRY_ACCESS}).
 * `secured` tells whether it authenticates anybody: the registry refuses to listen beyond loopback
 * with an access hook that does not, unless told to explicitly.
 */
export interface RegistryAccess {
  readonly secured: boolean;
  authorize(request: AccessRequest): Promise<AccessDecision>;
}

/** Injection token of the {@link RegistryAccess} hook. */
export const REGISTRY_ACCESS = Symbol('REGISTRY_ACCESS');

/**
 * LoopbackAccess is the default hook: anonymous pull, push and delete for clients on this host (as
 * an unauthenticated dockerd socket would be), everything else refused — there is no credential
 * to present, so a 401 challenge would only send clients round in circles.
 */
export class LoopbackAccess implements RegistryAccess {
  readonly secured = false;

  async authorize(request: AccessRequest): Promise<AccessDecision> {
    if (isLoopback(request.remoteAddress)) return 'allow';
    return {
      status: 403,
      code: 'DENIED',
      message:
        'this registry serves only clients on its own host (no authentication is configured)',
    };
  }
}

/** isLoopback tells whether a peer address is 127.0.0.0/8 or ::1 (also as an IPv4-mapped IPv6 address). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}
