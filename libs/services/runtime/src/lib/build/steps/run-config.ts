import type { CommandForm } from '@stevedore/dockerfile';

/** RunConfig is the build's running container config (Go's container.Config as JSON). */
export type RunConfig = Record<string, unknown>;

const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** shellOf is the SHELL in force (`/bin/sh -c` by default). */
export function shellOf(config: RunConfig): string[] {
  const shell = config['Shell'];
  return Array.isArray(shell) && shell.length > 0 ? (shell as string[]) : DEFAULT_SHELL;
}

/** nopCmd is dockerd's `withCmdComment`: `[shell..., "#(nop) ", comment]` (two words). */
export function nopCmd(config: RunConfig, comment: string): string[] {
  return [...shellOf(config), '#(nop) ', comment];
}

/** nopCmdString is dockerd's `withCmdCommentString` (COPY, ADD, WORKDIR): one word. */
export function nopCmdString(config: RunConfig, comment: string): string[] {
  return [...shellOf(config), `#(nop) ${comment}`];
}

/** commandOf is a RUN/CMD/ENTRYPOINT's argv: exec form as is, shell form through SHELL. */
export function commandOf(config: RunConfig, form: CommandForm): string[] {
  return form.json ? [...form.args] : [...shellOf(config), form.text];
}

/**
 * cacheCmdOf is the Cmd a RUN is cached and recorded under (dockerd's `prependEnvOnCmd`): with
 * build args in force, `|N k=v ...` (sorted) before the command, so another value is another step.
 */
export function cacheCmdOf(cmd: readonly string[], buildArgs: readonly string[]): string[] {
  if (buildArgs.length === 0) return [...cmd];
  const sorted = [...buildArgs].sort();
  return [`|${sorted.length}`, ...sorted, ...cmd];
}

/**
 * copyComment is COPY/ADD's nop text: `COPY --chown=u:gfile:<sum> in /dst ` (dockerd's spacing).
 * `--chmod` (which dockerd 20.10 leaves to BuildKit) is written the same way after `--chown`, so a
 * different mode is a different step for the cache.
 */
export function copyComment(
  kind: string,
  chown: string | undefined,
  sum: string,
  dest: string,
  chmod?: string,
) {
  const flags = `${chown ? `--chown=${chown}` : ''}${chmod ? `--chmod=${chmod}` : ''}`;
  return `${kind} ${flags}${sum} in ${dest} `;
}

/** goQuote is Go's `%q` of a string (strconv.Quote). */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const ESCAPES: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** goQuoteList is Go's `%q` of a []string: `["a" "b"]`; `[]` when empty or nil. */
export function goQuoteList(list: readonly string[] | null | undefined): string {
  return `[${(list ?? []).map(goQuote).join(' ')}]`;
}

/** goList is Go's `%v` of a []string: `[a b]`. */
export function goList(list: readonly string[]): string {
  return `[${list.join(' ')}]`;
}

/** goDuration is Go's time.Duration String() of nanoseconds (`5m0s`, `1.5s`, `300ms`, `0s`). */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${sign}${abs}ns`;
  if (abs < 1e6) return `${sign}${trim(abs / 1e3)}µs`;
  if (abs < 1e9) return `${sign}${trim(abs / 1e6)}ms`;
  const h = Math.floor(abs / 3600e9);
  const m = Math.floor((abs % 3600e9) / 60e9);
  const s = trim((abs % 60e9) / 1e9);
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}

/** goRune is Go's `%q` of an int (a rune literal): `'\x03'`, `'A'`. */
export function goRune(n: number): string {
  if (n >= 0x20 && n < 0x7f)
    return n === 0x27 || n === 0x5c
      ? `'\\${String.fromCharCode(n)}'`
      : `'${String.fromCharCode(n)}'`;
  const esc = ESCAPES[String.fromCharCode(n)];
  if (esc) return `'${esc}'`;
  return n < 0x100
    ? `'\\x${n.toString(16).padStart(2, '0')}'`
    : `'\\u${n.toString(16).padStart(4, '0')}'`;
}

/** Healthcheck is the image config's healthcheck (durations in nanoseconds). */
export interface Healthcheck {
  Test: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

/** healthcheckComment is dockerd's `HEALTHCHECK %q` of the config's *HealthConfig. */
export function healthcheckComment(h: Healthcheck): string {
  const d = (ns: number | undefined) => goQuote(goDuration(ns ?? 0));
  return `HEALTHCHECK &{${goQuoteList(h.Test)} ${d(h.Interval)} ${d(h.Timeout)} ${d(h.StartPeriod)} ${goRune(h.Retries ?? 0)}}`;
}
