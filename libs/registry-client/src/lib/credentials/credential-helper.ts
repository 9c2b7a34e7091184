import { execFile } from 'node:child_process';
import { DomainError } from '@stevedore/domain';
import { RegistryCredentials } from './credentials';

/**
 * CredentialHelper is the port to docker credential helpers (`docker-credential-<name> get`). It
 * resolves undefined when the helper is not installed or holds nothing for `serverUrl`.
 */
export interface CredentialHelper {
  get(helperName: string, serverUrl: string): Promise<RegistryCredentials | undefined>;
}

/** ProcessCredentialHelperOptions tune how helper programs are run. */
export interface ProcessCredentialHelperOptions {
  /** Directories searched for `docker-credential-<name>`; default: the process PATH. */
  readonly searchPath?: readonly string[];
  /** Kill the helper after this many ms (default 10 000). */
  readonly timeoutMs?: number;
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

interface HelperOutput {
  readonly Username?: unknown;
  readonly Secret?: unknown;
}

function toCredentials(stdout: string, helperName: string): RegistryCredentials | undefined {
  let out: HelperOutput;
  try {
    out = JSON.parse(stdout) as HelperOutput;
  } catch {
    throw DomainError.internal(`credential helper ${helperName} returned unreadable output`);
  }
  const username = typeof out.Username === 'string' ? out.Username : '';
  const secret = typeof out.Secret === 'string' ? out.Secret : '';
  if (!secret) return undefined;
  // A `<token>` username marks the secret as an identity (refresh) token (docker-credential-helpers).
  if (username === '<token>') return { identityToken: secret };
  return { username, password: secret };
}

interface ExecResult {
  readonly stdout: string;
  readonly missing: boolean;
  readonly failed: boolean;
}

function runHelper(
  program: string,
  serverUrl: string,
  options: ProcessCredentialHelperOptions,
): Promise<ExecResult> {
  const env = options.searchPath
    ? { ...process.env, PATH: options.searchPath.join(':') }
    : process.env;
  return new Promise((resolve) => {
    const child = execFile(
      program,
      ['get'],
      { env, timeout: options.timeoutMs ?? 10_000 },
      (error, stdout) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ stdout: String(stdout), missing: code === 'ENOENT', failed: error !== null });
      },
    );
    child.stdin?.end(serverUrl);
  });
}

/**
 * processCredentialHelper runs `docker-credential-<name> get` with the server URL on stdin and reads
 * `{"Username","Secret"}` from stdout — the one place this library starts a child process. A missing
 * program or a non-zero exit ("credentials not found") yields undefined; the helper's stderr is never
 * surfaced because it may echo secrets.
 */
export function processCredentialHelper(
  options: ProcessCredentialHelperOptions = {},
): CredentialHelper {
  return {
    async get(helperName, serverUrl) {
      if (!HELPER_NAME.test(helperName))
        throw DomainError.invalidArgument(`invalid credential helper name "${helperName}"`);
      const result = await runHelper(`docker-credential-${helperName}`, serverUrl, options);
      if (result.missing || result.failed) return undefined;
      return toCredentials(result.stdout, helperName);
    },
  };
}
