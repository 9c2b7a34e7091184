import { isSpace } from '../shell-word-expander';
import type { Node } from './ast';
import { ParseError } from './parse-error';

/**
 * Per-instruction argument parsers of the low-level parser (buildkit `line_parsers.go`): they
 * split the rest of the line into raw words and detect the JSON (exec) form. Nothing is expanded.
 */
export interface Arguments {
  readonly args: readonly string[];
  readonly json: boolean;
  readonly child?: Node;
}

type LineParser = (rest: string, escape: string, parseSub: (line: string) => Node) => Arguments;

const NONE: Arguments = { args: [], json: false };
const WHITESPACE_RE = /[\t\v\f\r ]+/;

export const NOT_STRING_ARRAY =
  'when using JSON array syntax, arrays must be comprised of strings only';

const parseString: LineParser = (rest) => (rest === '' ? NONE : { args: [rest], json: false });

const parseWhitespaceDelimited: LineParser = (rest) =>
  rest === '' ? NONE : { args: rest.split(WHITESPACE_RE), json: false };

const parseMaybeJson: LineParser = (rest) => {
  if (rest === '') return NONE;
  return parseJsonArray(rest) ?? { args: [rest], json: false };
};

const parseMaybeJsonToList: LineParser = (rest, escape, parseSub) =>
  parseJsonArray(rest) ?? parseWhitespaceDelimited(rest, escape, parseSub);

/** `ENV k=v ...` / `LABEL k=v ...`, or the legacy `ENV k v with spaces`: [k1, v1, k2, v2, ...]. */
function parseNameVal(key: string): LineParser {
  return (rest, escape) => {
    const words = parseWords(rest, escape);
    const first = words[0];
    if (first === undefined) return NONE;
    if (!first.includes('=')) {
      const match = WHITESPACE_RE.exec(rest);
      if (!match) throw new ParseError(`${key} must have two arguments`);
      return {
        args: [rest.slice(0, match.index), rest.slice(match.index + match[0].length)],
        json: false,
      };
    }
    const args: string[] = [];
    for (const word of words) {
      const eq = word.indexOf('=');
      if (eq < 0) {
        throw new ParseError(
          `Syntax error - can't find = in ${JSON.stringify(word)}. Must be of the form: name=value`,
        );
      }
      args.push(word.slice(0, eq), word.slice(eq + 1));
    }
    return { args, json: false };
  };
}

const parseNameOrNameVal: LineParser = (rest, escape) => ({
  args: parseWords(rest, escape),
  json: false,
});

/** HEALTHCHECK: a type word (`CMD`, `NONE`), then a command in either form. */
const parseHealthConfig: LineParser = (rest, escape, parseSub) => {
  const match = /\s/.exec(rest);
  const sep = match ? match.index : rest.length;
  if (sep === 0) return NONE;
  const command = parseMaybeJson(rest.slice(sep).replace(/^\s+/, ''), escape, parseSub);
  return { args: [rest.slice(0, sep), ...command.args], json: command.json };
};

const parseSubCommand: LineParser = (rest, _escape, parseSub) => {
  if (rest === '') return NONE;
  const child = parseSub(rest);
  return { args: [child.cmd, ...child.args], json: false, child };
};

const PARSERS: Readonly<Record<string, LineParser>> = {
  add: parseMaybeJsonToList,
  arg: parseNameOrNameVal,
  cmd: parseMaybeJson,
  copy: parseMaybeJsonToList,
  entrypoint: parseMaybeJson,
  env: parseNameVal('ENV'),
  expose: parseWhitespaceDelimited,
  from: parseWhitespaceDelimited,
  healthcheck: parseHealthConfig,
  label: parseNameVal('LABEL'),
  maintainer: parseString,
  onbuild: parseSubCommand,
  run: parseMaybeJson,
  shell: parseMaybeJson,
  stopsignal: parseString,
  user: parseString,
  volume: parseMaybeJsonToList,
  workdir: parseString,
};

/** Unknown instructions get no arguments here; the instruction parser refuses them. */
export function parseArguments(
  cmd: string,
  rest: string,
  escape: string,
  parseSub: (line: string) => Node,
): Arguments {
  const parser = PARSERS[cmd];
  return parser ? parser(rest, escape, parseSub) : NONE;
}

/**
 * The JSON form: `[` then one JSON value (text after it is ignored, as Go's json.Decoder does).
 * undefined when it is not JSON (the caller falls back to the shell form); an array holding
 * anything but strings is an error, not a fallback.
 */
export function parseJsonArray(rest: string): Arguments | undefined {
  const text = rest.replace(/^\s+/, '');
  if (!text.startsWith('[')) return undefined;
  const end = endOfJsonValue(text);
  if (end === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(0, end));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  if (!value.every((item): item is string => typeof item === 'string')) {
    throw new ParseError(NOT_STRING_ARRAY);
  }
  return { args: value, json: true };
}

/** Index just past the JSON value starting at 0 (brackets balanced outside strings). */
function endOfJsonValue(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === '[' || ch === '{') {
      depth++;
    } else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/**
 * Space-separated words with quotes kept (buildkit `parseWords`): quotes only group, the escape
 * character keeps the next character in the word (both are removed later by the expander).
 */
export function parseWords(rest: string, escape: string): string[] {
  return new WordScanner(Array.from(rest), escape).run();
}

class WordScanner {
  private readonly words: string[] = [];
  private word = '';
  private blankOk = false;
  private phase: 'spaces' | 'word' | 'quote' = 'spaces';
  private quote = '';
  private pos = 0;

  constructor(
    private readonly chars: readonly string[],
    private readonly escape: string,
  ) {}

  run(): string[] {
    for (; this.pos < this.chars.length; this.pos++) {
      const ch = this.chars[this.pos] as string;
      if (this.phase === 'spaces') {
        if (isSpace(ch)) continue;
        this.phase = 'word';
      }
      if (this.phase === 'word') this.inWord(ch);
      else this.inQuote(ch);
    }
    if (this.phase !== 'spaces') this.push();
    return this.words;
  }

  private push(): void {
    if (this.blankOk || this.word.length > 0) this.words.push(this.word);
    this.word = '';
    this.blankOk = false;
  }

  private inWord(ch: string): void {
    if (isSpace(ch)) {
      this.phase = 'spaces';
      this.push();
      return;
    }
    if (ch === "'" || ch === '"') {
      this.quote = ch;
      this.blankOk = true;
      this.phase = 'quote';
    }
    if (ch === this.escape) {
      if (this.pos + 1 === this.chars.length) return; // an escape at the end of the line is dropped
      this.word += ch;
      ch = this.chars[++this.pos] as string;
    }
    this.word += ch;
  }

  /** Inside quotes the escape character still escapes, except inside single quotes. */
  private inQuote(ch: string): void {
    if (ch === this.quote) this.phase = 'word';
    if (ch === this.escape && this.quote !== "'") {
      if (this.pos + 1 === this.chars.length) {
        this.phase = 'word';
        return;
      }
      this.word += ch;
      ch = this.chars[++this.pos] as string;
    }
    this.word += ch;
  }
}
