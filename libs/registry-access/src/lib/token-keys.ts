import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * jose loads with the first key or token rather than with the gateway: only a gateway whose
 * registry issues tokens uses it, and its ~80 modules would otherwise sit in every one.
 */
export const jose = (): typeof import('jose') => require('jose') as typeof import('jose');

/** The key pair tokens are signed and verified with, and the JWS algorithm it implies. */
export interface TokenKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  alg: string;
  kid: string;
}

const EC_ALGS: Record<string, string> = { prime256v1: 'ES256', secp384r1: 'ES384' };

/**
 * loadTokenKeys reads a PKCS#8 (or traditional) PEM private key. Every gateway replica loads the
 * same file, so a token issued by one replica verifies on all. Errors name the file, never its bytes.
 */
export async function loadTokenKeys(path: string): Promise<TokenKeys> {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(await readFile(path, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'not a PEM private key';
    throw new Error(`registry-auth token signing-key ${path}: ${why}`);
  }
  return tokenKeysOf(privateKey, path);
}

/** tokenKeysOf derives the public half, the algorithm and a key id (the JWK thumbprint). */
export async function tokenKeysOf(privateKey: KeyObject, source = 'key'): Promise<TokenKeys> {
  const alg = algorithmOf(privateKey);
  if (!alg) {
    throw new Error(
      `registry-auth token signing-key ${source}: use an EC P-256/P-384, RSA or Ed25519 key`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  const { calculateJwkThumbprint, exportJWK } = jose();
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return { privateKey, publicKey, alg, kid };
}

function algorithmOf(key: KeyObject): string | undefined {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return 'RS256';
  if (type === 'ed25519') return 'EdDSA';
  if (type === 'ec') return EC_ALGS[key.asymmetricKeyDetails?.namedCurve ?? ''];
  return undefined;
}
