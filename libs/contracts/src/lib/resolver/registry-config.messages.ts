export const REGISTRY_CONFIG_V1 = 'resolver.registry.config.v1' as const;
/** Asks for the registry settings the resolver works with (what `docker info` shows as RegistryConfig). */
export class RegistryConfigRequestV1 {}
export interface RegistryConfigV1 {
  /** `registry-mirrors` as configured (http(s) URLs); they serve Docker Hub. */
  mirrors: string[];
  /** `insecure-registries` as configured (`host[:port]` names or CIDRs). */
  insecureRegistries: string[];
}
