import * as dockerfileLib from '@stevedore/dockerfile';
import type { Dockerfile, Instruction } from '@stevedore/dockerfile';
import { DomainError } from '@stevedore/domain';

/** Env is a step's environment as the expander reads it. */
export type Env = ReadonlyMap<string, string>;

/** DockerfileLanguage is what the builder uses of `@stevedore/dockerfile` (see its README). */
interface DockerfileLanguage {
  parseDockerfile(text: string): Dockerfile;
  parseOnbuildTrigger(trigger: string): Instruction;
  ShellWordExpander: new (escape: '\\' | '`') => {
    word(raw: string, env: Env): string;
    words(raw: string, env: Env): string[];
  };
  DockerIgnore: { parse(text: string): { excludes(path: string): boolean } };
}

// Read through the namespace so the builder builds while the library grows its functions.
const lib = dockerfileLib as unknown as Partial<DockerfileLanguage>;

function need<K extends keyof DockerfileLanguage>(name: K): DockerfileLanguage[K] {
  const value = lib[name];
  if (value === undefined)
    throw DomainError.unsupported(`the Dockerfile parser is not available (${name})`);
  return value as DockerfileLanguage[K];
}

export const parseDockerfile = (text: string): Dockerfile => need('parseDockerfile')(text);
export const parseOnbuildTrigger = (text: string): Instruction => need('parseOnbuildTrigger')(text);

/** Expander expands words with Docker's rules, for one Dockerfile's escape character. */
export class Expander {
  private readonly inner: InstanceType<DockerfileLanguage['ShellWordExpander']>;
  constructor(escape: '\\' | '`') {
    this.inner = new (need('ShellWordExpander'))(escape);
  }
  word(raw: string, env: Env): string {
    return this.inner.word(raw, env);
  }
  words(raw: string, env: Env): string[] {
    return this.inner.words(raw, env);
  }
}

/** ignoreMatcher is `.dockerignore`'s: does it exclude a context path? */
export function ignoreMatcher(text: string): (path: string) => boolean {
  const ignore = need('DockerIgnore').parse(text);
  return (path) => ignore.excludes(path);
}
