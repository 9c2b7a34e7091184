import { DomainError } from '@stevedore/domain';
import { Glob, isValidGlob } from './glob';

interface Rule {
  readonly glob: Glob;
  /** `!pattern`: an exception that re-includes what earlier patterns excluded. */
  readonly exception: boolean;
}

/** Per-pattern results for a directory, handed down to its entries (patternmatcher's MatchInfo). */
type ParentMatches = readonly boolean[];

/**
 * `.dockerignore` as the docker CLI applies it when it sends a build context (moby/patternmatcher
 * and its ignorefile reader): `#` comments (only at the very start of a line), blank lines, `!`
 * exceptions where the last matching pattern wins, `*` `?` `[...]` `**`, patterns cleaned like
 * paths (`./a/` is `a`, a leading `/` is dropped), and a pattern that matches a directory
 * excluding everything below it. Paths are context-relative with forward slashes.
 */
export class DockerIgnore {
  private constructor(private readonly rules: readonly Rule[]) {}

  /** Reads a `.dockerignore`; a malformed pattern is an error, as it is for the docker CLI. */
  static parse(text: string): DockerIgnore {
    return DockerIgnore.fromPatterns(readIgnorePatterns(text));
  }

  /** Patterns as the ignorefile reader yields them (`!` prefix for exceptions). */
  static fromPatterns(patterns: readonly string[]): DockerIgnore {
    const rules: Rule[] = [];
    for (const raw of patterns) {
      if (raw.trim() === '') continue;
      let pattern = cleanPath(raw.trim());
      const exception = pattern.startsWith('!');
      if (exception) {
        if (pattern.length === 1)
          throw DomainError.invalidArgument('illegal exclusion pattern: "!"');
        pattern = pattern.slice(1);
      }
      if (!isValidGlob(pattern)) throw DomainError.invalidArgument('syntax error in pattern');
      rules.push({ glob: new Glob(pattern), exception });
    }
    return new DockerIgnore(rules);
  }

  /** The cleaned patterns, exceptions prefixed with `!`. */
  get patterns(): string[] {
    return this.rules.map((rule) => (rule.exception ? '!' : '') + rule.glob.pattern);
  }

  /**
   * Whether the context entry at `path` is left out. Evaluated directory by directory from the
   * context root, as the CLI's walk does, so a directory's exclusion carries to what is below it
   * unless a later exception matches. The context root itself is never excluded.
   */
  excludes(path: string): boolean {
    const cleaned = cleanPath(path).replace(/^\/+/, '');
    if (cleaned === '.' || cleaned === '') return false;
    const parts = cleaned.split('/');
    let parent: ParentMatches = [];
    let excluded = false;
    for (let depth = 1; depth <= parts.length; depth++) {
      ({ excluded, matches: parent } = this.matchBelow(parts.slice(0, depth).join('/'), parent));
    }
    return excluded;
  }

  /**
   * Whether a walk must still descend into the excluded directory `dir` because an exception may
   * re-include something below it. This is the CLI's own test, textual and not a match: some
   * exception pattern, plus `/`, starts with `dir/` (`!dir/keep` keeps `dir` walked, `!**\/keep`
   * does not). Entries found below are then judged one by one with {@link excludes}; the
   * directory itself stays out of the context.
   */
  mayReincludeBelow(dir: string): boolean {
    const prefix = `${cleanPath(dir).replace(/^\/+/, '')}/`;
    return this.rules.some((rule) => rule.exception && `${rule.glob.pattern}/`.startsWith(prefix));
  }

  /** patternmatcher's MatchesUsingParentResults: one path, given its parent's per-pattern results. */
  private matchBelow(
    path: string,
    parent: ParentMatches,
  ): { excluded: boolean; matches: boolean[] } {
    let excluded = false;
    const matches = this.rules.map(() => false);
    this.rules.forEach((rule, i) => {
      let match = parent[i] ?? false;
      if (!match) {
        // An exclusion cannot change an included path, nor an inclusion an excluded one.
        if (rule.exception !== excluded) return;
        match =
          rule.glob.matches(path) || (parent.length === 0 && ancestorMatches(rule.glob, path));
      }
      matches[i] = match;
      if (match) excluded = !rule.exception;
    });
    return { excluded, matches };
  }
}

function ancestorMatches(glob: Glob, path: string): boolean {
  const dirs = path.split('/').slice(0, -1);
  return dirs.some((_, i) => glob.matches(dirs.slice(0, i + 1).join('/')));
}

/** The ignorefile reader: comments, blank lines, `!` kept apart while the path is cleaned. */
export function readIgnorePatterns(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const patterns: string[] = [];
  for (const rawLine of lines) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const exception = pattern.startsWith('!');
    if (exception) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(exception ? `!${pattern}` : pattern);
  }
  return patterns;
}

/** Go's path.Clean: no `.`, no `x/..`, no doubled or trailing `/`. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') out.push(part);
    else if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (!rooted) out.push('..');
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}
