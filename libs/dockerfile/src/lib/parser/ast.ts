import { isSpace } from '../shell-word-expander';
import { parseArguments } from './line-parsers';
import { ParseError } from './parse-error';

/**
 * The low-level parse (buildkit `frontend/dockerfile/parser` as built into dockerd 20.10): physical
 * lines → logical lines → nodes. Errors here are what dockerd reports as
 * `failed to parse Dockerfile: <message>` (no line number).
 */
export interface Node {
  /** The instruction word as written (`run`, `RUN`). */
  readonly cmd: string;
  /** `--name=value` words between the instruction and its arguments. */
  readonly flags: readonly string[];
  /** Arguments after the instruction's line parser (raw words, quotes kept). */
  readonly args: readonly string[];
  /** The arguments were a JSON array (exec form). */
  readonly json: boolean;
  /** The logical line (continuations joined, comment lines dropped). */
  readonly original: string;
  /** ONBUILD's trigger, parsed as a line of its own. */
  readonly child?: Node;
  readonly startLine: number;
  readonly endLine: number;
}

export interface Ast {
  readonly nodes: readonly Node[];
  readonly escape: '\\' | '`';
  readonly warnings: readonly string[];
}

const DIRECTIVE_RE =
  /^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;
const VALID_DIRECTIVES = new Set(['escape', 'syntax']);
const BOM = '\uFEFF';

/** Parser directives: only at the very top, each at most once; anything else ends them. */
class Directives {
  escape: '\\' | '`' = '\\';
  private done = false;
  private readonly seen = new Set<string>();

  /**
   * A line continues when it ends with the escape character (then blanks), unless that one is
   * preceded by another one (`a\\` ends the line); the character is dropped, the text before it kept.
   */
  continuation(line: string): { text: string; continues: boolean } {
    const re = this.escape === '\\' ? /([^\\])\\[ \t]*$|^\\[ \t]*$/ : /([^`])`[ \t]*$|^`[ \t]*$/;
    return re.test(line)
      ? { text: line.replace(re, '$1'), continues: true }
      : { text: line, continues: false };
  }

  consider(line: string): void {
    if (this.done) return;
    const match = DIRECTIVE_RE.exec(line);
    const key = match?.[1]?.toLowerCase();
    if (!match || key === undefined || !VALID_DIRECTIVES.has(key)) {
      this.done = true;
      return;
    }
    if (this.seen.has(key)) throw new ParseError(`only one ${key} parser directive can be used`);
    this.seen.add(key);
    if (key === 'escape') {
      const value = match[2] ?? '';
      if (value !== '`' && value !== '\\') {
        throw new ParseError(`invalid escape token '${value}' does not match \` or \\`);
      }
      this.escape = value;
    }
  }
}

const trimLeft = (text: string): string => {
  const chars = Array.from(text);
  let i = 0;
  while (i < chars.length && isSpace(chars[i] as string)) i++;
  return chars.slice(i).join('');
};

const isComment = (line: string): boolean => trimLeft(line).startsWith('#');

/** bufio.ScanLines: split on \n, drop one trailing \r per line, no empty last line. */
function physicalLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

export function parseAst(text: string): Ast {
  const directives = new Directives();
  const lines = physicalLines(text.startsWith(BOM) ? text.slice(1) : text);
  const nodes: Node[] = [];
  const warnings: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const first = trimLeft(lines[index] as string);
    directives.consider(first);
    index++;
    const startLine = index;
    const head = directives.continuation(isComment(first) ? '' : first);
    let line = head.text;
    let continues = head.continues;
    if (!continues && line === '') continue;
    let emptyContinuation = false;
    while (continues && index < lines.length) {
      const raw = lines[index] as string;
      directives.consider(raw);
      index++;
      if (isComment(raw)) continue;
      if (trimLeft(raw) === '') {
        emptyContinuation = true;
        continue;
      }
      const next = directives.continuation(raw);
      line += next.text;
      continues = next.continues;
    }
    if (emptyContinuation)
      warnings.push(`[WARNING]: Empty continuation line found in:\n    ${line}`);
    nodes.push(nodeFromLine(line, directives.escape, startLine, index));
  }
  if (warnings.length > 0) {
    warnings.push('[WARNING]: Empty continuation lines will become errors in a future release.');
  }
  if (nodes.length === 0) throw new ParseError('file with no instructions');
  return { nodes, escape: directives.escape, warnings };
}

export function nodeFromLine(
  line: string,
  escape: string,
  startLine: number,
  endLine: number,
): Node {
  const { cmd, flags, rest } = splitCommand(line);
  const { args, json, child } = parseArguments(cmd.toLowerCase(), rest, escape, (sub) =>
    nodeFromLine(sub, escape, startLine, endLine),
  );
  return { cmd, flags, args, json, original: line, child, startLine, endLine };
}

const WHITESPACE_RE = /[\t\v\f\r ]+/;

/** The instruction word, its `--flags` and the rest of the line. */
function splitCommand(line: string): { cmd: string; flags: string[]; rest: string } {
  const trimmed = line.trim();
  const match = WHITESPACE_RE.exec(trimmed);
  if (!match) return { cmd: trimmed, flags: [], rest: '' };
  const cmd = trimmed.slice(0, match.index);
  const { rest, flags } = extractBuilderFlags(trimmed.slice(match.index + match[0].length));
  return { cmd, flags, rest: rest.trim() };
}

/** Leading words that start with `--`, unquoted; a lone `--` ends the flags. */
function extractBuilderFlags(line: string): { rest: string; flags: string[] } {
  const flags: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < line.length && isSpace(line[pos] as string)) pos++;
    if (pos >= line.length) return { rest: '', flags };
    if (!line.startsWith('--', pos)) return { rest: line.slice(pos), flags };
    let word = '';
    let quote: string | undefined;
    let blankOk = false;
    for (; pos < line.length; pos++) {
      let ch = line[pos] as string;
      if (quote === undefined && isSpace(ch)) break;
      if (quote === undefined && (ch === "'" || ch === '"')) {
        quote = ch;
        blankOk = true;
        continue;
      }
      if (quote !== undefined && ch === quote) {
        quote = undefined;
        continue;
      }
      if (ch === '\\') {
        if (pos + 1 === line.length) continue;
        ch = line[++pos] as string;
      }
      word += ch;
    }
    if (word === '--') return { rest: line.slice(pos), flags };
    if (blankOk || word.length > 0) flags.push(word);
  }
}
