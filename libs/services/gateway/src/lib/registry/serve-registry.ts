import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { parseListenAddress } from '@stevedore/config';
import { RegistryServer } from './registry-server';

/** RegistrySettings are the registry's environment variables, as both topologies read them. */
export interface RegistrySettings {
  /** `host:port`, or `off` to serve no `/v2/`. */
  readonly STEVEDORE_REGISTRY_LISTEN: string;
  /** `1`/`true`: listen beyond loopback although no access control authenticates anybody. */
  readonly STEVEDORE_REGISTRY_INSECURE?: string | undefined;
}

/**
 * serveRegistry starts `/v2/` on its own listener; the listener closes with the application.
 * Returns the address bound (port 0 becomes the real port), or undefined when off.
 */
export async function serveRegistry(
  app: INestApplication,
  settings: RegistrySettings,
): Promise<AddressInfo | undefined> {
  const listen = settings.STEVEDORE_REGISTRY_LISTEN;
  const insecure = settings.STEVEDORE_REGISTRY_INSECURE;
  if (listen === 'off') return undefined;
  const { host, port } = parseListenAddress(listen);
  const allowUnauthenticated = insecure === '1' || insecure === 'true';
  return app.get(RegistryServer).listen({ host, port, allowUnauthenticated });
}

/** registryUrl renders a bound address for the start-up log. */
export function registryUrl(address: AddressInfo | undefined): string {
  if (!address) return 'off';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}/v2/`;
}
