/** DOCKER_HUB_KEY is the key docker stores Docker Hub credentials under in `config.json`. */
export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * hostOfKey reduces a stored credentials key (`https://registry.example.com:5000/v2/`, `host:port`)
 * to its lower-case `host[:port]`.
 */
export function hostOfKey(key: string): string {
  const withoutScheme = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return (withoutScheme.split('/')[0] ?? '').toLowerCase();
}

/** isDockerHub tells whether a registry name or key designates Docker Hub. */
export function isDockerHub(registry: string): boolean {
  return HUB_HOSTS.has(hostOfKey(registry));
}

/**
 * registryKey is the canonical credentials key of a registry: `https://index.docker.io/v1/` for Docker
 * Hub, else the lower-case `host[:port]`.
 */
export function registryKey(registry: string): string {
  return isDockerHub(registry) ? DOCKER_HUB_KEY : hostOfKey(registry);
}
