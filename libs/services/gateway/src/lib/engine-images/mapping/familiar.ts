import { parseReference } from '@stevedore/domain';

/**
 * familiarRef turns a stored, fully qualified reference into the form the docker CLI shows
 * (`docker.io/library/busybox:latest` → `busybox:latest`); a reference that does not parse is kept.
 */
export function familiarRef(ref: string): string {
  try {
    return parseReference(ref).familiar();
  } catch {
    return ref;
  }
}
