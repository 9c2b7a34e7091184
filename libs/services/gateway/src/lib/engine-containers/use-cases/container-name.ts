import { DomainError } from '@stevedore/domain';

/** dockerd's `validContainerNamePattern`: two characters at least, a leading `/` allowed. */
const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** assertContainerName refuses a name dockerd refuses, in its words (400). */
export function assertContainerName(name: string): void {
  if (!VALID_NAME.test(name))
    throw DomainError.invalidArgument(
      `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    );
}
