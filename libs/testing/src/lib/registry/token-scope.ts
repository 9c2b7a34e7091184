import { formatScope, ResourceAccess } from '@stevedore/registry-access';

// The testbed's token server parses scopes and Basic credentials as Stevedore's own endpoint does.
export { decodeBasic, parseScopes } from '@stevedore/registry-access';

/** formatScopes renders access entries back into the space-separated OAuth `scope` field. */
export function formatScopes(access: ResourceAccess[]): string {
  return access.map(formatScope).join(' ');
}
