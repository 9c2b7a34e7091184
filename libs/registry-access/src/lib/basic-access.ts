import { AnonymousPull } from '@stevedore/config';
import { AccessDecision, AccessRequest, RegistryAccessController } from './access.types';
import { decodeBasic } from './basic-credentials';
import { basicChallenge, unauthorized } from './challenge';
import { Htpasswd } from './htpasswd';
import { anonymousMayPull, authorizationOf, isReadOnly, neededAccess } from './needs';

/**
 * BasicAccess checks `Authorization: Basic` against an htpasswd file on every request, as the CNCF
 * registry's htpasswd controller does: a known user may do anything, a wrong password gets the
 * challenge again, and an anonymous client may only pull (where `anonymous-pull` lets it). The
 * base `/v2/` check always wants credentials, so that `docker login` really tests them.
 */
export class BasicAccess implements RegistryAccessController {
  constructor(
    private readonly htpasswd: Htpasswd,
    private readonly realm: string,
    private readonly anonymousPull: AnonymousPull,
  ) {}

  async authorize(request: AccessRequest): Promise<AccessDecision> {
    const credentials = decodeBasic(authorizationOf(request.headers));
    const challenge = basicChallenge(this.realm);
    if (credentials) {
      const ok = await this.htpasswd.verify(credentials.username, credentials.password);
      if (ok) return { allowed: true, identity: `user:${credentials.username}` };
      return unauthorized(challenge, 'invalid username or password');
    }
    const need = neededAccess(request);
    if (isReadOnly(need) && anonymousMayPull(this.anonymousPull, request.remoteAddress)) {
      return { allowed: true, identity: undefined };
    }
    return unauthorized(challenge, 'authentication required');
  }
}
