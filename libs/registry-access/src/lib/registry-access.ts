import { RegistryAuthConfig } from '@stevedore/config';
import { AccessDecision, AccessRequest, RegistryAccessController } from './access.types';
import { BasicAccess } from './basic-access';
import { denied } from './challenge';
import { Htpasswd } from './htpasswd';
import { isLoopback } from './loopback';
import { TokenAccess } from './token-access';
import { TokenEndpoint } from './token-endpoint';
import { loadTokenKeys } from './token-keys';
import { TokenService } from './token-service';

/** What the `/v2/` listener needs from the access configuration. */
export interface RegistryAccess {
  controller: RegistryAccessController;
  /** The built-in token endpoint, in token mode only (served at {@link TOKEN_PATH}). */
  tokenEndpoint?: TokenEndpoint;
}

/** LoopbackOnlyAccess is the default without `registry-auth`: anyone on this machine, nobody else. */
export class LoopbackOnlyAccess implements RegistryAccessController {
  async authorize(request: AccessRequest): Promise<AccessDecision> {
    if (isLoopback(request.remoteAddress)) return { allowed: true, identity: undefined };
    return denied('this registry serves loopback clients only (set registry-auth)');
  }
}

/** OpenAccess is `registry-auth: "none"`: the operator said so explicitly. */
export class OpenAccess implements RegistryAccessController {
  async authorize(): Promise<AccessDecision> {
    return { allowed: true, identity: undefined };
  }
}

/**
 * createRegistryAccess builds the access controller (and the token endpoint) from the config,
 * reading the htpasswd file and the signing key once at start-up.
 */
export async function createRegistryAccess(
  config: RegistryAuthConfig | undefined,
): Promise<RegistryAccess> {
  if (config === undefined) return { controller: new LoopbackOnlyAccess() };
  if (config.mode === 'none') return { controller: new OpenAccess() };
  const htpasswd = await Htpasswd.load(config.htpasswd);
  if (config.mode === 'basic' || !config.token) {
    return { controller: new BasicAccess(htpasswd, config.realm, config.anonymousPull) };
  }
  const t = config.token;
  const tokens = new TokenService({
    keys: await loadTokenKeys(t.signingKey),
    issuer: t.issuer,
    service: t.service,
    expirySeconds: t.expirySeconds,
  });
  return {
    controller: new TokenAccess(tokens, config.anonymousPull, t.realm),
    tokenEndpoint: new TokenEndpoint(htpasswd, tokens, config.anonymousPull, config.realm),
  };
}
