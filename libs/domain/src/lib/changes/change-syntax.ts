import { DomainError } from '../errors/domain-error';

// The Dockerfile syntax of `--change` arguments: quoting, JSON and shell forms, `K=V` pairs and
// `$VAR` expansion, as Docker's builder reads them.

/** required returns `value`, or throws INVALID_ARGUMENT when the instruction got no argument. */
export function required(value: string, instruction: string): string {
  if (value === '')
    throw DomainError.invalidArgument(`${instruction} requires exactly one argument`);
  return value;
}

/** json reads a JSON array of strings (the exec form), or throws INVALID_ARGUMENT. */
export function json(args: string, instruction: string): string[] {
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed;
  } catch {
    // fall through
  }
  throw DomainError.invalidArgument(
    `${instruction}: a JSON array of strings was expected: ${args}`,
  );
}

/** execOrShell reads the JSON form (`["sh","-c"]`) or the shell form (`/bin/sh -c "<line>"`). */
export function execOrShell(args: string): string[] {
  if (args.startsWith('[')) {
    try {
      return json(args, 'CMD');
    } catch {
      // Not valid JSON: Docker treats it as a shell command line.
    }
  }
  return ['/bin/sh', '-c', args];
}

/** pairs reads `K=V K2="v 2"` or the legacy `K V…` form. */
export function pairs(
  args: string,
  instruction: string,
  env: readonly string[],
): [string, string][] {
  const tokens = words(args);
  if (tokens.length === 0)
    throw DomainError.invalidArgument(`${instruction} requires at least one argument`);
  if (!tokens[0]?.includes('=')) {
    const [key = '', ...value] = tokens;
    return [[key, expand(value.join(' '), env)]];
  }
  return tokens.map((t) => {
    const eq = t.indexOf('=');
    if (eq <= 0)
      throw DomainError.invalidArgument(`${instruction} names must be followed by '=': ${t}`);
    return [t.slice(0, eq), expand(t.slice(eq + 1), env)];
  });
}

/** words splits on blanks, honouring double and single quotes and backslash escapes (quotes removed). */
export function words(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (c === '\\' && quote !== "'" && i + 1 < text.length) {
      cur += text.charAt(++i);
      started = true;
    } else if (quote) {
      if (c === quote) quote = undefined;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (quote) throw DomainError.invalidArgument(`unterminated quote in: ${text}`);
  if (started) out.push(cur);
  return out;
}

/** expand replaces `$VAR` and `${VAR}` with their values in `env` (`K=V` entries; unset is empty). */
export function expand(text: string, env: readonly string[]): string {
  if (!text.includes('$')) return text;
  // One map per call, not a scan of the Env per `$VAR`: a long Env and many references stay linear.
  const values = new Map<string, string>();
  for (const e of env) {
    const eq = e.indexOf('=');
    const name = eq === -1 ? e : e.slice(0, eq);
    if (!values.has(name)) values.set(name, eq === -1 ? '' : e.slice(eq + 1));
  }
  const lookup = (name: string) => values.get(name) ?? '';
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, a: string | undefined, b: string | undefined) => lookup(a ?? b ?? ''),
  );
}
