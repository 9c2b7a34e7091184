import { createSign, generateKeyPair, KeyObject, randomUUID, X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execTool } from '../support/exec';
import { TokenAccess } from './registry.types';

/** TokenClaims are the fields a distribution registry checks in a bearer token. */
export interface TokenClaims {
  issuer: string;
  audience: string;
  subject: string;
  access: TokenAccess[];
  ttlSeconds: number;
}

/** TokenSigner issues RS256 JWTs that a registry trusting `certFile` accepts. */
export interface TokenSigner {
  /** PEM file holding the self-signed certificate (the registry's `rootcertbundle`). */
  readonly certFile: string;
  sign(claims: TokenClaims): string;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/**
 * createTokenSigner generates an RSA key pair with node:crypto and a self-signed X.509 certificate
 * for it with the openssl CLI, both under `dir`.
 */
export async function createTokenSigner(dir: string): Promise<TokenSigner> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const keyFile = join(dir, 'token-signing.key');
  const certFile = join(dir, 'token-signing.crt');
  await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await execTool('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    '/CN=stevedore-testbed-token-issuer',
  ]);
  const cert = new X509Certificate(await readFile(certFile));
  // distribution 2.8 finds the verification key through the `x5c` header: a certificate chain that
  // must verify against rootcertbundle (3.x also accepts `kid`). One self-signed cert is the chain.
  const x5c = [cert.raw.toString('base64')];
  return { certFile, sign: (claims) => signJwt(privateKey, x5c, claims) };
}

function signJwt(key: KeyObject, x5c: string[], claims: TokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c };
  const payload = {
    iss: claims.issuer,
    sub: claims.subject,
    aud: claims.audience,
    // Backdated a little so clock granularity never makes a fresh token "not yet valid".
    nbf: now - 10,
    iat: now,
    exp: now + claims.ttlSeconds,
    jti: randomUUID(),
    access: claims.access,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key);
  return `${input}.${b64url(signature)}`;
}
