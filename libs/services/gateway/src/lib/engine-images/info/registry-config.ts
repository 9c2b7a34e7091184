import { RegistryConfigV1 } from '@stevedore/contracts';

/** IndexInfo is one registry of `RegistryConfig.IndexConfigs`. */
export interface IndexInfo {
  Name: string;
  Mirrors: string[];
  Secure: boolean;
  Official: boolean;
}

/** EngineRegistryConfig is `docker info`'s `RegistryConfig`, in dockerd 20.10's shape. */
export interface EngineRegistryConfig {
  AllowNondistributableArtifactsCIDRs: string[];
  AllowNondistributableArtifactsHostnames: string[];
  InsecureRegistryCIDRs: string[];
  IndexConfigs: Record<string, IndexInfo>;
  Mirrors: string[];
}

// dockerd always treats loopback as insecure (as Stevedore's registry client does) and lists it last.
const LOOPBACK_CIDR = '127.0.0.0/8';
const CIDR_RE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)\/\d{1,3}$/;

/**
 * registryConfigOf shapes the resolver's settings as dockerd does (registry/config.go): mirrors
 * with a trailing `/`; insecure CIDRs in `InsecureRegistryCIDRs` (loopback added); insecure names
 * in `IndexConfigs` with `Secure: false`; Docker Hub always there, carrying the mirrors.
 */
export function registryConfigOf(settings: RegistryConfigV1): EngineRegistryConfig {
  const mirrors = settings.mirrors.map(mirrorUrl);
  const cidrs = settings.insecureRegistries.filter((r) => CIDR_RE.test(r));
  const names = settings.insecureRegistries.filter((r) => !CIDR_RE.test(r));
  const indexConfigs: Record<string, IndexInfo> = {
    'docker.io': { Name: 'docker.io', Mirrors: mirrors, Secure: true, Official: true },
  };
  for (const name of names)
    indexConfigs[name] = { Name: name, Mirrors: [], Secure: false, Official: false };
  return {
    AllowNondistributableArtifactsCIDRs: [],
    AllowNondistributableArtifactsHostnames: [],
    InsecureRegistryCIDRs: [...new Set([...cidrs, LOOPBACK_CIDR])],
    IndexConfigs: indexConfigs,
    Mirrors: mirrors,
  };
}

function mirrorUrl(mirror: string): string {
  const url = new URL(mirror);
  return `${url.protocol}//${url.host}/`;
}
