import bcrypt from 'bcryptjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, stopChild } from '../support/lifecycle';
import { readAccessLog } from './access-log';
import { TokenAuthConfig } from './registry-config';
import { spawnRegistry } from './registry-process';
import {
  RegistryAuth,
  RegistryHandle,
  RegistryOptions,
  TokenRequestRecord,
} from './registry.types';
import { startTokenServer, TokenServer } from './token-server';
import { createTokenSigner } from './token-signer';

/** Default credentials of the htpasswd and token variants. */
export const DEFAULT_USERNAME = 'tester';
export const DEFAULT_PASSWORD = 'secret-pass';
/** Service name and issuer the token variant's registry expects. */
export const TOKEN_SERVICE = 'stevedore-test-registry';
export const TOKEN_ISSUER = 'stevedore-testbed-token-issuer';

interface AuthSetup {
  htpasswdFile?: string;
  token?: TokenAuthConfig;
  tokenServer?: TokenServer;
}

async function setUpAuth(
  auth: RegistryAuth,
  dir: string,
  user: string,
  pass: string,
): Promise<AuthSetup> {
  if (auth === 'anonymous') return {};
  if (auth === 'htpasswd') {
    const htpasswdFile = join(dir, 'htpasswd');
    // Low bcrypt cost: these are throwaway test credentials and registry checks them on every request.
    await writeFile(htpasswdFile, `${user}:${bcrypt.hashSync(pass, 5)}\n`, { mode: 0o600 });
    return { htpasswdFile };
  }
  const signer = await createTokenSigner(dir);
  const tokenServer = await startTokenServer({
    signer,
    service: TOKEN_SERVICE,
    issuer: TOKEN_ISSUER,
    username: user,
    password: pass,
    ttlSeconds: 300,
  });
  const token = {
    realm: tokenServer.realm,
    service: TOKEN_SERVICE,
    issuer: TOKEN_ISSUER,
    rootCertBundle: signer.certFile,
  };
  return { token, tokenServer };
}

function checkOptions(opts: RegistryOptions): RegistryAuth {
  const auth = opts.auth ?? 'anonymous';
  if (!['anonymous', 'htpasswd', 'token'].includes(auth))
    throw new Error(`unknown registry auth variant "${auth}"`);
  if (opts.username !== undefined && (opts.username === '' || opts.username.includes(':'))) {
    throw new Error('registry username must be non-empty and contain no ":"');
  }
  return auth;
}

/**
 * startRegistry starts a real `docker-registry` on a free 127.0.0.1 port with fresh filesystem
 * storage and the requested auth variant, and resolves once it serves `/v2/`. Call `stop()` in
 * afterAll; a process exit hook kills anything left running.
 */
export async function startRegistry(opts: RegistryOptions = {}): Promise<RegistryHandle> {
  const auth = checkOptions(opts);
  const username = opts.username ?? DEFAULT_USERNAME;
  const password = opts.password ?? DEFAULT_PASSWORD;
  const workDir = await makeTempDir('registry');
  const storageRoot = join(workDir, 'storage');
  await mkdir(storageRoot);
  let setup: AuthSetup = {};
  try {
    setup = await setUpAuth(auth, workDir, username, password);
    const proc = await spawnRegistry(workDir, {
      storageRoot,
      htpasswdFile: setup.htpasswdFile,
      token: setup.token,
      ...(opts.proxyRemoteUrl ? { proxyRemoteUrl: opts.proxyRemoteUrl } : {}),
    });
    return makeHandle(auth, proc.port, storageRoot, proc.logFile, {
      credentials: auth === 'anonymous' ? undefined : { username, password },
      setup,
      stop: async () => {
        await stopChild(proc.child);
        await setup.tokenServer?.stop();
        await removeTempDir(workDir);
      },
    });
  } catch (err) {
    await setup.tokenServer?.stop();
    await removeTempDir(workDir);
    throw err;
  }
}

interface HandleParts {
  credentials: { username: string; password: string } | undefined;
  setup: AuthSetup;
  stop: () => Promise<void>;
}

function makeHandle(
  auth: RegistryAuth,
  port: number,
  storageRoot: string,
  logFile: string,
  p: HandleParts,
): RegistryHandle {
  let stopping: Promise<void> | undefined;
  const host = `127.0.0.1:${port}`;
  return {
    auth,
    host,
    url: `http://${host}`,
    storageRoot,
    ...(p.credentials ? { credentials: p.credentials } : {}),
    ...(p.setup.token ? { tokenRealm: p.setup.token.realm, service: p.setup.token.service } : {}),
    accessLog: () => readAccessLog(logFile),
    blobPath: (digest) => blobDataPath(storageRoot, digest),
    tokenRequests: (): TokenRequestRecord[] => p.setup.tokenServer?.requests() ?? [],
    stop: () => (stopping ??= p.stop()),
  };
}

/** blobDataPath maps a digest to distribution's filesystem layout: `…/blobs/<alg>/<first 2 hex>/<hex>/data`. */
export function blobDataPath(storageRoot: string, digest: string): string {
  const match = /^(sha256|sha512):([a-f0-9]{64,128})$/.exec(digest);
  if (!match?.[1] || !match[2]) throw new Error(`not a valid digest: "${digest}"`);
  const [, alg, hex] = match;
  return join(storageRoot, 'docker/registry/v2/blobs', alg, hex.slice(0, 2), hex, 'data');
}
