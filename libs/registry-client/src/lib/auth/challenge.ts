/**
 * Challenge is one parsed `WWW-Authenticate` challenge: a lower-cased scheme (`bearer`, `basic`, …)
 * and its parameters with lower-cased keys and unescaped values.
 */
export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

// RFC 7230 tchar: anything visible except separators, space and tab.
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.pos);
  }

  skip(chars: string): void {
    while (!this.done && chars.includes(this.peek())) this.pos++;
  }

  token(): string {
    const start = this.pos;
    while (!this.done && TCHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** quoted reads a quoted-string (the opening quote is current); undefined when unterminated. */
  quoted(): string | undefined {
    let out = '';
    for (this.pos++; !this.done; this.pos++) {
      const c = this.peek();
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') this.pos++;
      out += this.text.charAt(this.pos);
    }
    return undefined;
  }
}

/** Reads `key=value` pairs until the next challenge starts; false when the line is malformed. */
function readParams(s: Scanner, params: Record<string, string>): boolean {
  for (;;) {
    s.skip(' \t,');
    if (s.done) return true;
    const start = s.pos;
    const key = s.token();
    if (!key) return false;
    s.skip(' \t');
    if (s.peek() !== '=') {
      // A bare token after a comma is the scheme of the next challenge on the same line.
      s.pos = start;
      return true;
    }
    s.pos++;
    s.skip(' \t');
    const value = s.peek() === '"' ? s.quoted() : s.token();
    if (value === undefined) return false;
    params[key.toLowerCase()] = value;
  }
}

/**
 * parseChallenges parses every challenge in one or more `WWW-Authenticate` header values (several
 * header lines, or several challenges on one line). Schemes and keys are lower-cased, quoted values are
 * unescaped (`\x` → `x`), and a malformed remainder ends parsing of that line, keeping what was parsed.
 */
export function parseChallenges(headerValues: string | readonly string[] | undefined): Challenge[] {
  if (headerValues === undefined) return [];
  const lines = typeof headerValues === 'string' ? [headerValues] : headerValues;
  const out: Challenge[] = [];
  for (const line of lines) {
    const s = new Scanner(line);
    for (;;) {
      s.skip(' \t,');
      const scheme = s.token();
      if (!scheme) break;
      const params: Record<string, string> = {};
      const ok = readParams(s, params);
      out.push({ scheme: scheme.toLowerCase(), params });
      if (!ok) break;
    }
  }
  return out;
}

/** preferredChallenge picks the challenge to answer: Bearer when offered, else Basic, else undefined. */
export function preferredChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic')
  );
}

/** challengeScopes returns the scopes a Bearer challenge names (its `scope` value split on spaces). */
export function challengeScopes(challenge: Challenge): string[] {
  return (challenge.params['scope'] ?? '').split(' ').filter((s) => s.length > 0);
}
