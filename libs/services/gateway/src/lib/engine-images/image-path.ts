import { DomainError } from '@stevedore/domain';

/** ImagePath is an image route's path: the name (may contain `/`, `:` and `@`) and its trailing action. */
export interface ImagePath {
  name: string;
  action?: string;
}

/**
 * parseImagePath splits `/images/<name>[/<action>]` (the path after the version prefix) greedily:
 * the name is everything up to a trailing `/<action>` from `actions`, or the whole rest when no
 * action is given. Names arrive raw from the CLI, but percent-encoded ones are decoded too.
 * Throws INVALID_ARGUMENT when the name is empty. `root` is the route's first segment
 * (`distribution` names images the same way).
 */
export function parseImagePath(
  path: string,
  actions: readonly string[],
  root = 'images',
): ImagePath {
  const rest = safeDecode(path.replace(new RegExp(`^/${root}/`), ''));
  const action = actions.find((a) => rest.endsWith(`/${a}`));
  const name = action === undefined ? rest : rest.slice(0, -(action.length + 1));
  if (name === '') throw DomainError.invalidArgument('an image name or ID is required');
  return action === undefined ? { name } : { name, action };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
