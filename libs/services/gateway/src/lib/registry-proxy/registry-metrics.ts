import { recordRegistryOperation } from '@stevedore/observability';
import type { RegistryRoute } from '../registry/registry-route';

/**
 * countOperation counts a manifest answered to a GET as a pull and one accepted by a PUT as a
 * push, per repository, as registries count pulls (a HEAD only checks, a blob is part of a pull).
 */
export function countOperation(route: RegistryRoute, method: string, status: number): void {
  if (route.kind !== 'manifest' || status >= 300) return;
  if (method === 'GET') recordRegistryOperation(route.repository, 'pull');
  else if (method === 'PUT') recordRegistryOperation(route.repository, 'push');
}
