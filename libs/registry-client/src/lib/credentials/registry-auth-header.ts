import { DomainError } from '@stevedore/domain';
import { decodeAuthField } from './basic-auth';
import { CredentialsProvider, RegistryCredentials, hasCredentials } from './credentials';
import { registryKey } from './server-key';

function decodeBase64Tolerant(value: string): string {
  // Clients send std or URL-safe alphabets, with or without padding.
  const std = value.trim().replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(std))
    throw DomainError.invalidArgument('invalid X-Registry-Auth header: not base64');
  return Buffer.from(std, 'base64').toString('utf8');
}

function str(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** RegistryAuthHeader is a decoded Engine API `X-Registry-Auth` value: credentials plus the server they are for. */
export interface RegistryAuthHeader {
  readonly credentials?: RegistryCredentials;
  readonly serverAddress?: string;
}

/**
 * decodeRegistryAuthHeader decodes the Engine API `X-Registry-Auth` header: base64url (std alphabet
 * and missing padding tolerated) JSON with `username`, `password`, `auth`, `identitytoken`,
 * `registrytoken`, `serveraddress`. An empty header or `{}` means anonymous. Throws INVALID_ARGUMENT
 * `invalid X-Registry-Auth header` without echoing the value.
 */
export function decodeRegistryAuthHeader(header: string | undefined): RegistryAuthHeader {
  if (!header?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeBase64Tolerant(header));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw DomainError.invalidArgument('invalid X-Registry-Auth header: not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw DomainError.invalidArgument('invalid X-Registry-Auth header: not an object');
  const record = parsed as Record<string, unknown>;
  const auth = str(record, 'auth');
  const fromAuth = auth ? decodeAuthField(auth) : undefined;
  const credentials: RegistryCredentials = {
    ...(fromAuth ? fromAuth : {}),
    ...(!fromAuth && str(record, 'username') ? { username: str(record, 'username') } : {}),
    ...(!fromAuth && str(record, 'password') ? { password: str(record, 'password') } : {}),
    ...(str(record, 'identitytoken') ? { identityToken: str(record, 'identitytoken') } : {}),
    ...(str(record, 'registrytoken') ? { registryToken: str(record, 'registrytoken') } : {}),
  };
  const serverAddress = str(record, 'serveraddress');
  return {
    ...(hasCredentials(credentials) ? { credentials } : {}),
    ...(serverAddress ? { serverAddress } : {}),
  };
}

/**
 * registryAuthCredentials turns an `X-Registry-Auth` header into a provider that answers only for
 * `registry` (the registry of the image the request names), so the user's credentials never travel
 * to a mirror or any other host.
 */
export function registryAuthCredentials(
  header: string | undefined,
  registry: string,
): CredentialsProvider {
  const { credentials } = decodeRegistryAuthHeader(header);
  const target = registryKey(registry);
  return { get: async (asked) => (registryKey(asked) === target ? credentials : undefined) };
}
