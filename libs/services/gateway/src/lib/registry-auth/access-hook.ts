import type { RegistryAccessController } from '@stevedore/registry-access';
import type { AccessDecision, AccessRequest, RegistryAccess } from '../registry/registry-access';
import { registryClients } from '../registry-proxy/registry-client-context';

/**
 * AccessHook puts a `@stevedore/registry-access` controller (htpasswd, token, loopback-only or
 * open, from `registry-auth`) behind the registry's access seam, and records who was let in for
 * the per-client limits of the pull-through cache. `secured` is true whenever `registry-auth` is
 * set: credentials are checked, or `"none"` said explicitly that an open registry is meant.
 */
export class AccessHook implements RegistryAccess {
  constructor(
    private readonly controller: RegistryAccessController,
    readonly secured: boolean,
  ) {}

  async authorize(request: AccessRequest): Promise<AccessDecision> {
    const decision = await this.controller.authorize(request);
    if (decision.allowed) {
      const client = registryClients.getStore();
      if (client) client.identity = decision.identity;
      return 'allow';
    }
    const error = decision.body.errors[0];
    const challenge = decision.headers['WWW-Authenticate'];
    return {
      status: decision.status,
      code: error?.code === 'DENIED' ? 'DENIED' : 'UNAUTHORIZED',
      message: error?.message ?? 'access denied',
      ...(challenge ? { wwwAuthenticate: challenge } : {}),
    };
  }
}
