import { parseReference } from '@stevedore/domain';

/**
 * upstreamReference is the upstream reference a `/v2/` repository and tag or digest name, as the
 * registry serves store names: `library/busybox` is Docker Hub's (`docker.io/library/busybox`,
 * which the resolver reaches through `registry-mirrors`), `ghcr.io/x/y` that registry's. Undefined
 * when the pair is no valid reference.
 */
export function upstreamReference(repository: string, reference: string): string | undefined {
  const separator = reference.includes(':') ? '@' : ':';
  try {
    return parseReference(`${repository}${separator}${reference}`).toString();
  } catch {
    return undefined;
  }
}
