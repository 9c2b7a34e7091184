import { DomainError } from '@stevedore/domain';

/** decodeAuthField decodes a docker `auth` value (base64 `user:pass`) per T14; throws INVALID_ARGUMENT. */
export function decodeAuthField(auth: string): { username: string; password: string } {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(auth.trim())) {
    throw DomainError.invalidArgument('invalid auth configuration: not base64');
  }
  const text = Buffer.from(auth.trim(), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0)
    throw DomainError.invalidArgument(
      'invalid auth configuration: no colon between username and password',
    );
  const username = text.slice(0, colon);
  if (!username) throw DomainError.invalidArgument('invalid auth configuration: empty username');
  // docker-cli trims trailing NUL bytes some tools leave after the password.
  return { username, password: text.slice(colon + 1).replace(/\0+$/, '') };
}

/** basicAuthorization builds the `Authorization: Basic …` value for a username and password. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
