import { ConfigProblem } from './config-error';

/** Who may pull without credentials: loopback clients only (the default), everybody, or nobody. */
export type AnonymousPull = 'loopback' | 'all' | 'none';

/** The built-in token endpoint's settings (`registry-auth.token`). */
export interface RegistryTokenConfig {
  /** A PKCS#8 PEM private key (EC P-256, RSA or Ed25519) every gateway replica signs and verifies with. */
  signingKey: string;
  issuer: string;
  /** The `service` of challenges and the tokens' audience. */
  service: string;
  expirySeconds: number;
  /** The token endpoint's public URL; default: `http://<Host of the request>/auth/token`. */
  realm?: string;
}

/**
 * RegistryAuthConfig is how the `/v2/` listener authenticates (`registry-auth` in STEVEDORE_CONFIG):
 * - absent: anonymous access from loopback only, and the listener refuses a non-loopback address;
 * - `"none"`: told explicitly: anybody may do anything, on any address;
 * - `{htpasswd, realm?, anonymous-pull?}`: Basic auth against bcrypt htpasswd entries;
 * - `{htpasswd, token: {signing-key, issuer?, service?, expiry-seconds?, realm?}, anonymous-pull?}`:
 *   the Docker token flow, with the htpasswd file checked by the built-in token endpoint.
 */
export type RegistryAuthConfig =
  | { mode: 'none' }
  | {
      mode: 'basic' | 'token';
      htpasswd: string;
      realm: string;
      anonymousPull: AnonymousPull;
      token?: RegistryTokenConfig;
    };

export const DEFAULT_TOKEN_ISSUER = 'stevedore';
export const DEFAULT_TOKEN_SERVICE = 'stevedore-registry';
export const DEFAULT_TOKEN_EXPIRY_SECONDS = 300;
const KEY = 'STEVEDORE_CONFIG registry-auth';
const ANONYMOUS: readonly AnonymousPull[] = ['loopback', 'all', 'none'];

type Problems = ConfigProblem[];

/** parseRegistryAuth validates the `registry-auth` value, adding what is wrong to `problems`. */
export function parseRegistryAuth(
  value: unknown,
  problems: Problems,
): { registryAuth?: RegistryAuthConfig } {
  if (value === undefined) return {};
  if (value === 'none') return { registryAuth: { mode: 'none' } };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ variable: KEY, reason: 'must be "none" or an object with "htpasswd"' });
    return {};
  }
  const o = value as Record<string, unknown>;
  const before = problems.length;
  const htpasswd = text(o, 'htpasswd', problems, true);
  const realm = text(o, 'realm', problems, false) ?? 'Stevedore Registry';
  const anonymousPull = o['anonymous-pull'] ?? 'loopback';
  if (!ANONYMOUS.includes(anonymousPull as AnonymousPull)) {
    problems.push({ variable: `${KEY} anonymous-pull`, reason: 'must be loopback, all or none' });
  }
  const token = o['token'] === undefined ? undefined : parseToken(o['token'], problems);
  if (problems.length > before || htpasswd === undefined) return {};
  const common = { htpasswd, realm, anonymousPull: anonymousPull as AnonymousPull };
  return {
    registryAuth: token ? { mode: 'token', ...common, token } : { mode: 'basic', ...common },
  };
}

function parseToken(value: unknown, problems: Problems): RegistryTokenConfig | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ variable: `${KEY} token`, reason: 'must be an object with "signing-key"' });
    return undefined;
  }
  const o = value as Record<string, unknown>;
  const signingKey = text(o, 'signing-key', problems, true, 'token ');
  const expiry = o['expiry-seconds'] ?? DEFAULT_TOKEN_EXPIRY_SECONDS;
  if (typeof expiry !== 'number' || !Number.isInteger(expiry) || expiry < 60 || expiry > 86400) {
    problems.push({
      variable: `${KEY} token expiry-seconds`,
      reason: 'must be a whole number from 60 to 86400',
    });
  }
  const realm = text(o, 'realm', problems, false, 'token ');
  if (signingKey === undefined) return undefined;
  return {
    signingKey,
    issuer: text(o, 'issuer', problems, false, 'token ') ?? DEFAULT_TOKEN_ISSUER,
    service: text(o, 'service', problems, false, 'token ') ?? DEFAULT_TOKEN_SERVICE,
    expirySeconds: expiry as number,
    ...(realm === undefined ? {} : { realm }),
  };
}

function text(
  o: Record<string, unknown>,
  key: string,
  problems: Problems,
  required: boolean,
  prefix = '',
): string | undefined {
  const value = o[key];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') {
    problems.push({ variable: `${KEY} ${prefix}${key}`, reason: 'must be a non-empty string' });
    return undefined;
  }
  return value;
}
