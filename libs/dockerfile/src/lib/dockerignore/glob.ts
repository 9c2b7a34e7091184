/**
 * One `.dockerignore` pattern compiled the way moby/patternmatcher does (the matcher the docker
 * CLI applies when it sends the context): exact, prefix (`dir/**`), suffix (`**\/name`) or a
 * regular expression where `*` and `?` stop at `/` and `**` crosses directories.
 */
export class Glob {
  private readonly type: 'exact' | 'prefix' | 'suffix' | 'regexp';
  private readonly regexp?: RegExp;

  constructor(readonly pattern: string) {
    const compiled = compile(pattern);
    this.type = compiled.type;
    this.regexp = compiled.type === 'regexp' ? new RegExp(compiled.source, 'u') : undefined;
  }

  matches(path: string): boolean {
    switch (this.type) {
      case 'exact':
        return path === this.pattern;
      case 'prefix':
        return path.startsWith(this.pattern.slice(0, -2));
      case 'suffix': {
        const suffix = this.pattern.slice(2);
        return path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
      }
      case 'regexp':
        return this.regexp?.test(path) ?? false;
    }
  }
}

/** Regexp-special characters that mean nothing in a glob (patternmatcher's shouldEscape). */
const LITERAL_SPECIALS = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);
const JS_SYNTAX = /[\\^$.*+?()[\]{}|/]/;
const literal = (ch: string): string => (JS_SYNTAX.test(ch) ? `\\${ch}` : ch);

function compile(pattern: string): { type: Glob['type']; source: string } {
  const chars = Array.from(pattern);
  let type: Glob['type'] = 'exact';
  let source = '^';
  let i = 0;
  for (let step = 0; i < chars.length; step++) {
    const ch = chars[i++] as string;
    if (ch === '*' && chars[i] === '*') {
      i++;
      if (chars[i] === '/') i++;
      if (i < chars.length) {
        source += '(.*/)?';
        type = 'regexp';
      } else if (type === 'exact') {
        type = 'prefix';
      } else {
        source += '.*';
        type = 'regexp';
      }
      if (step === 0) type = 'suffix';
    } else if (ch === '*' || ch === '?') {
      source += ch === '*' ? '[^/]*' : '[^/]';
      type = 'regexp';
    } else if (LITERAL_SPECIALS.has(ch)) {
      source += `\\${ch}`;
    } else if (ch === '\\') {
      // Go's regexp gives `\d` and friends a meaning; here an escaped character is always literal.
      source += literal(chars[i++] ?? '\\');
      type = 'regexp';
    } else if (ch === '[') {
      const end = classEnd(chars, i);
      source += characterClass(chars.slice(i, end));
      i = end + 1;
      type = 'regexp';
    } else {
      source += literal(ch);
    }
  }
  return { type, source: `${source}$` };
}

/** Index of the `]` closing the class whose content starts at `start` (the pattern is valid). */
function classEnd(chars: readonly string[], start: number): number {
  let i = start;
  if (chars[i] === '^') i++;
  for (let n = 0; ; n++) {
    if (chars[i] === ']' && n > 0) return i;
    if (chars[i] === '\\') i++;
    i++;
    if (chars[i] === '-') {
      i++;
      if (chars[i] === '\\') i++;
      i++;
    }
  }
}

function characterClass(content: readonly string[]): string {
  let out = '[';
  let i = 0;
  if (content[0] === '^') {
    out += '^';
    i++;
  }
  for (; i < content.length; i++) {
    const ch = content[i] as string;
    if (ch === '\\') {
      const escaped = content[++i] as string;
      out += escaped === '-' ? '\\-' : literal(escaped);
    } else if (ch === '-') out += '-';
    else out += ch === '[' || ch === ']' ? `\\${ch}` : ch;
  }
  return `${out}]`;
}

/**
 * Go's filepath.Match syntax check (patternmatcher validates each pattern with it): character
 * classes must be closed and non-empty, `-` and `]` cannot start a range, `\` needs a character.
 */
export function isValidGlob(pattern: string): boolean {
  const chars = Array.from(pattern);
  let i = 0;
  const escapedChar = (): boolean => {
    const ch = chars[i];
    if (ch === undefined || ch === '-' || ch === ']') return false;
    if (ch === '\\') i++;
    if (chars[i] === undefined) return false;
    i++;
    return i < chars.length;
  };
  while (i < chars.length) {
    const ch = chars[i++];
    if (ch === '\\') {
      if (i >= chars.length) return false;
      i++;
    } else if (ch === '[') {
      if (chars[i] === '^') i++;
      for (let n = 0; !(chars[i] === ']' && n > 0); n++) {
        if (!escapedChar()) return false;
        if (chars[i] === '-') {
          i++;
          if (!escapedChar()) return false;
        }
      }
      i++;
    }
  }
  return true;
}
