import { randomUUID } from 'node:crypto';
import { ResourceAccess } from './scope';
import { jose, TokenKeys } from './token-keys';

/** What a verified token says: who it was issued to and what it grants. */
export interface TokenClaims {
  subject: string;
  access: ResourceAccess[];
}

/** An issued token and when it runs out, the token endpoint's answer. */
export interface IssuedToken {
  token: string;
  expiresIn: number;
  issuedAt: Date;
}

export interface TokenServiceOptions {
  keys: TokenKeys;
  issuer: string;
  service: string;
  expirySeconds: number;
  now?: () => Date;
}

// A little leeway for clocks of replicas that drift apart; distribution allows none, containerd 30 s.
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * TokenService issues and verifies the registry's scoped JWTs in the form distribution's token
 * access controller expects: `iss`, `sub`, `aud` (the service), `exp`/`nbf`/`iat`, `jti` and the
 * `access` claim listing `{type, name, actions}`.
 */
export class TokenService {
  constructor(private readonly opts: TokenServiceOptions) {}

  get service(): string {
    return this.opts.service;
  }

  async issue(subject: string, access: ResourceAccess[]): Promise<IssuedToken> {
    const issuedAt = this.opts.now?.() ?? new Date();
    const iat = Math.floor(issuedAt.getTime() / 1000);
    const token = await new (jose().SignJWT)({ access })
      .setProtectedHeader({ alg: this.opts.keys.alg, kid: this.opts.keys.kid, typ: 'JWT' })
      .setIssuer(this.opts.issuer)
      .setSubject(subject)
      .setAudience(this.opts.service)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + this.opts.expirySeconds)
      .setJti(randomUUID())
      .sign(this.opts.keys.privateKey);
    return { token, expiresIn: this.opts.expirySeconds, issuedAt };
  }

  /** verify checks signature, issuer, audience and lifetime; undefined when any fails. */
  async verify(token: string): Promise<TokenClaims | undefined> {
    try {
      const { payload } = await jose().jwtVerify(token, this.opts.keys.publicKey, {
        issuer: this.opts.issuer,
        audience: this.opts.service,
        algorithms: [this.opts.keys.alg],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
        ...(this.opts.now ? { currentDate: this.opts.now() } : {}),
      });
      return { subject: payload.sub ?? '', access: accessOf(payload['access']) };
    } catch {
      return undefined;
    }
  }
}

function accessOf(claim: unknown): ResourceAccess[] {
  if (!Array.isArray(claim)) return [];
  return claim.filter(
    (a): a is ResourceAccess =>
      typeof a === 'object' &&
      a !== null &&
      typeof a.type === 'string' &&
      typeof a.name === 'string' &&
      Array.isArray(a.actions) &&
      a.actions.every((x: unknown) => typeof x === 'string'),
  );
}
