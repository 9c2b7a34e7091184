import { DockerIgnore, ShellWordExpander } from '@stevedore/dockerfile';

export { parseDockerfile, parseOnbuildTrigger } from '@stevedore/dockerfile';

/** Env is a step's environment as the expander reads it. */
export type Env = ReadonlyMap<string, string>;

/** Expander expands a step's words with Docker's rules, for one Dockerfile's escape character. */
export class Expander extends ShellWordExpander {}

/**
 * ignoreMatcher is `.dockerignore`'s verdict on a context path. The docker CLI filters the
 * context before sending it; the builder applies the file too, so a context from a client that
 * does not filter copies the same files.
 */
export function ignoreMatcher(text: string): (path: string) => boolean {
  const ignore = DockerIgnore.parse(text);
  return (path) => ignore.excludes(path);
}
