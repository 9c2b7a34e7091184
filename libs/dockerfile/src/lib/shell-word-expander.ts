import { DomainError } from '@stevedore/domain';

/**
 * Docker's shell-word processing (buildkit `frontend/dockerfile/shell/lex.go`, as built into
 * dockerd 20.10): quotes, escapes with the Dockerfile's escape character, and `$name`, `${name}`,
 * `${name:-word}`, `${name:+word}`, `${name?msg}`, `${name:?msg}`. Unknown variables expand to
 * the empty string. This is not a shell: no `${a-b}`, no globbing, no command substitution.
 */
export class ShellWordExpander {
  constructor(private readonly escape: '\\' | '`' = '\\') {}

  /** One word with quotes removed and variables expanded (ENV values, WORKDIR, USER, ...). */
  word(raw: string, env: ReadonlyMap<string, string>): string {
    return this.process(raw, env).word;
  }

  /**
   * Expanded words split on unquoted whitespace, as ProcessWords does. dockerd uses it for EXPOSE
   * only (`EXPOSE $PORTS` with PORTS="80 443" is two ports); COPY, ADD and VOLUME expand each raw
   * word with {@link word}.
   */
  words(raw: string, env: ReadonlyMap<string, string>): string[] {
    return this.process(raw, env).words;
  }

  private process(
    raw: string,
    env: ReadonlyMap<string, string>,
  ): { word: string; words: string[] } {
    try {
      return new Lexer(raw, env, this.escape).processStopOn(undefined);
    } catch (error) {
      if (error instanceof LexError) {
        throw DomainError.invalidArgument(`failed to process ${goQuote(raw)}: ${error.message}`);
      }
      throw error;
    }
  }
}

class LexError extends Error {}

const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);
/** Go's unicode.IsSpace. */
export const isSpace = (ch: string): boolean => /^[\t\n\v\f\r \u0085\u00a0\p{Z}]$/u.test(ch);
const isDigit = (ch: string): boolean => /^\p{Nd}$/u.test(ch);
const isNameChar = (ch: string): boolean => /^[\p{L}\p{Nd}_]$/u.test(ch);

/** Words collected while scanning: expansions split on whitespace, quoted text never does. */
class WordsBuilder {
  private word = '';
  private inWord = false;
  private readonly out: string[] = [];

  addChar(ch: string): void {
    if (isSpace(ch)) {
      if (this.inWord && this.word.length > 0) this.flush();
    } else {
      this.addRaw(ch);
    }
  }

  addRaw(text: string): void {
    this.word += text;
    this.inWord = true;
  }

  addExpanded(text: string): void {
    for (const ch of text) this.addChar(ch);
  }

  finish(): string[] {
    if (this.word.length > 0) this.flush();
    return this.out;
  }

  private flush(): void {
    this.out.push(this.word);
    this.word = '';
    this.inWord = false;
  }
}

/** A rune scanner over the raw word (Go's text/scanner Peek/Next). */
class Lexer {
  private readonly runes: string[];
  private pos = 0;

  constructor(
    raw: string,
    private readonly env: ReadonlyMap<string, string>,
    private readonly escape: string,
  ) {
    this.runes = Array.from(raw);
  }

  private peek(): string | undefined {
    return this.runes[this.pos];
  }

  private next(): string | undefined {
    return this.runes[this.pos++];
  }

  processStopOn(stop: string | undefined): { word: string; words: string[] } {
    let result = '';
    const words = new WordsBuilder();
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (stop !== undefined && ch === stop) {
        this.next();
        return { word: result, words: words.finish() };
      }
      if (ch === "'" || ch === '"' || ch === '$') {
        const text =
          ch === "'" ? this.singleQuote() : ch === '"' ? this.doubleQuote() : this.dollar();
        result += text;
        if (ch === '$') words.addExpanded(text);
        else words.addRaw(text);
        continue;
      }
      this.next();
      if (ch === this.escape) {
        const escaped = this.next();
        if (escaped === undefined) break; // an escape at the end is dropped
        words.addRaw(escaped);
        result += escaped;
      } else {
        words.addChar(ch);
        result += ch;
      }
    }
    if (stop !== undefined) {
      throw new LexError(`unexpected end of statement while looking for matching ${stop}`);
    }
    return { word: result, words: words.finish() };
  }

  /** Everything up to the next `'` is literal; a single quote cannot be escaped inside. */
  private singleQuote(): string {
    this.next();
    let result = '';
    for (;;) {
      const ch = this.next();
      if (ch === undefined) {
        throw new LexError('unexpected end of statement while looking for matching single-quote');
      }
      if (ch === "'") return result;
      result += ch;
    }
  }

  /** `$` expands inside double quotes; the escape character only escapes `"`, `$` and itself. */
  private doubleQuote(): string {
    this.next();
    let result = '';
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) {
        throw new LexError('unexpected end of statement while looking for matching double-quote');
      }
      if (ch === '"') {
        this.next();
        return result;
      }
      if (ch === '$') {
        result += this.dollar();
        continue;
      }
      this.next();
      if (ch === this.escape) {
        const following = this.peek();
        if (following === undefined) continue;
        if (following === '"' || following === '$' || following === this.escape) {
          result += this.next();
          continue;
        }
      }
      result += ch;
    }
  }

  private dollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.name();
      return name === '' ? '$' : (this.env.get(name) ?? '');
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw new LexError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') {
      throw new LexError('syntax error: bad substitution');
    }
    const name = this.name();
    const ch = this.next();
    if (ch === '}') return this.env.get(name) ?? '';
    if (ch === '?') return this.required(name, this.modifierWord(), false);
    if (ch === ':') {
      const modifier = this.next();
      const word = this.modifierWord();
      const value = this.env.get(name) ?? '';
      switch (modifier) {
        case '+':
          return value !== '' ? word : value;
        case '-':
          return value === '' ? word : value;
        case '?':
          return this.required(name, word, true);
        default:
          throw new LexError(`unsupported modifier (${modifier ?? ''}) in substitution`);
      }
    }
    throw new LexError("missing ':' in substitution");
  }

  /** The `word` of `${name:-word}`: processed recursively up to the closing brace. */
  private modifierWord(): string {
    try {
      return this.processStopOn('}').word;
    } catch (error) {
      if (error instanceof LexError && this.peek() === undefined) {
        throw new LexError("syntax error: missing '}'");
      }
      throw error;
    }
  }

  private required(name: string, message: string, nonEmpty: boolean): string {
    const value = this.env.get(name);
    if (value === undefined) {
      throw new LexError(`${name}: ${message || 'is not allowed to be unset'}`);
    }
    if (nonEmpty && value === '') {
      throw new LexError(`${name}: ${message || 'is not allowed to be empty'}`);
    }
    return value;
  }

  /** A variable name: letters, digits and `_`; or all digits (positional); or one special char. */
  private name(): string {
    let name = '';
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (name === '' && isDigit(ch)) {
        while (this.peek() !== undefined && isDigit(this.peek() as string)) name += this.next();
        return name;
      }
      if (name === '' && SPECIAL_PARAMS.has(ch)) {
        this.next();
        return ch;
      }
      if (!isNameChar(ch)) break;
      name += this.next();
    }
    return name;
  }
}

/** Go's %q for the error text (`failed to process "${a"`). */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}
