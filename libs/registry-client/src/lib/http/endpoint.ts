import { DomainError } from '@stevedore/domain';

/** Endpoint is one place a registry name can be reached: the registry itself or one of its mirrors. */
export interface Endpoint {
  /** The registry name from the image reference (`docker.io`, `127.0.0.1:5000`). */
  readonly registry: string;
  /** Scheme + host + port the requests go to. */
  readonly origin: string;
  /** The `host[:port]` whose credentials apply. */
  readonly credentialHost: string;
  /** Mirrors serve pulls only. */
  readonly mirror: boolean;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ORIGIN = 'https://registry-1.docker.io';

function hostname(hostPort: string): string {
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1);
  return hostPort.split(':')[0] ?? hostPort;
}

/** isLoopbackHost tells whether a `host[:port]` is `localhost`, in 127.0.0.0/8, or `[::1]`. */
export function isLoopbackHost(hostPort: string): boolean {
  const host = hostname(hostPort).toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * registryOrigin maps a registry name to the origin that serves it: `docker.io` →
 * `https://registry-1.docker.io`; plain HTTP for loopback hosts and names listed in `insecure`;
 * HTTPS otherwise.
 */
export function registryOrigin(registry: string, insecure: readonly string[]): string {
  if (registry.toLowerCase() === DOCKER_HUB) return DOCKER_HUB_ORIGIN;
  const plain =
    isLoopbackHost(registry) || insecure.some((h) => h.toLowerCase() === registry.toLowerCase());
  return `${plain ? 'http' : 'https'}://${registry}`;
}

function mirrorEndpoint(registry: string, mirror: string, insecure: readonly string[]): Endpoint {
  const withScheme = /^https?:\/\//i.test(mirror) ? mirror : registryOrigin(mirror, insecure);
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw DomainError.invalidArgument(`invalid mirror "${mirror}" for ${registry}`);
  }
  return { registry, origin: url.origin, credentialHost: url.host, mirror: true };
}

/** EndpointOptions are the parts of the client options that decide where requests go. */
export interface EndpointOptions {
  readonly mirrors: Readonly<Record<string, readonly string[]>>;
  readonly insecure: readonly string[];
}

/**
 * endpointsFor lists where to send requests for `registry`, in order: its configured mirrors (pulls
 * only), then the registry itself.
 */
export function endpointsFor(
  registry: string,
  options: EndpointOptions,
  purpose: 'pull' | 'push',
): Endpoint[] {
  const upstream: Endpoint = {
    registry,
    origin: registryOrigin(registry, options.insecure),
    credentialHost: registry,
    mirror: false,
  };
  if (purpose === 'push') return [upstream];
  const mirrors = options.mirrors[registry] ?? options.mirrors[registry.toLowerCase()] ?? [];
  return [...mirrors.map((m) => mirrorEndpoint(registry, m, options.insecure)), upstream];
}
