import { AsyncLocalStorage } from 'node:async_hooks';

/** Who sent the `/v2/` request being answered: the access hook's identity, else the peer address. */
export interface RegistryClientContext {
  remoteAddress: string | undefined;
  /** `user:<name>` or `token:<subject>` once the access hook let the request in with credentials. */
  identity?: string | undefined;
}

/**
 * registryClients carries the client of a `/v2/` request from the listener through the access
 * hook (which fills in the identity) to the miss hook (which rate-limits per client), without
 * threading it through every handler signature.
 */
export const registryClients = new AsyncLocalStorage<RegistryClientContext>();

/** clientKey names the current client for per-client limits (`anonymous` outside a request). */
export function clientKey(): string {
  const ctx = registryClients.getStore();
  return ctx?.identity ?? `address:${ctx?.remoteAddress ?? 'anonymous'}`;
}
