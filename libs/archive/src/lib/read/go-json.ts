/**
 * Go's `encoding/json` as far as dockerd's legacy load needs it to give the same config bytes,
 * and so the same image ID: compaction of raw JSON with HTML escaping (`json.Marshal` of a
 * `json.RawMessage`), string encoding, and the top-level members of an object.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** goCompact is `json.Compact` with `escapeHTML`: no insignificant whitespace, `<>&` escaped. */
export function goCompact(raw: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (inString) {
      if (ch === '\\') {
        out += ch + (raw[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === '"') inString = false;
      out += ESCAPES[ch] ?? ch;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (!' \t\n\r'.includes(ch)) out += ch;
  }
  return out;
}

/** goString encodes a string as `json.Marshal` does (HTML characters escaped). */
export function goString(text: string): string {
  return goCompact(JSON.stringify(text));
}

/**
 * topLevelMembers splits a compacted JSON object into its members, each value as raw text; a key
 * given twice keeps its last value (Go's map). Throws on anything that is not an object.
 */
export function topLevelMembers(compact: string): Map<string, string> {
  const members = new Map<string, string>();
  if (!compact.startsWith('{') || !compact.endsWith('}')) throw new Error('not a JSON object');
  let i = 1;
  while (i < compact.length - 1) {
    const keyEnd = stringEnd(compact, i);
    const key = JSON.parse(compact.slice(i, keyEnd)) as string;
    if (compact[keyEnd] !== ':') throw new Error('expected a colon');
    const valueEnd = valueEndAt(compact, keyEnd + 1);
    members.set(key, compact.slice(keyEnd + 1, valueEnd));
    i = compact[valueEnd] === ',' ? valueEnd + 1 : valueEnd;
  }
  return members;
}

/** stringEnd returns the index just past the JSON string starting at `start`. */
function stringEnd(text: string, start: number): number {
  if (text[start] !== '"') throw new Error('expected a string');
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  throw new Error('unterminated string');
}

/** valueEndAt returns the index just past the JSON value starting at `start` (compacted text). */
function valueEndAt(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') i = stringEnd(text, i) - 1;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      if (depth === 0) return i;
      depth--;
    } else if (ch === ',' && depth === 0) return i;
  }
  throw new Error('unterminated value');
}

/**
 * goTime re-encodes an RFC 3339 time as Go's `time.Time` marshals it (RFC 3339 with nanoseconds,
 * trailing zeros of the fraction dropped, `Z` for a zero offset); absent is Go's zero time.
 */
export function goTime(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '0001-01-01T00:00:00Z';
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(value);
  if (!match) return value;
  const fraction = (match[2] ?? '').slice(0, 9).replace(/0+$/, '');
  const zone = /^[+-]00:00$/.test(match[3] ?? '') ? 'Z' : (match[3] ?? 'Z').toUpperCase();
  return `${match[1]}${fraction ? `.${fraction}` : ''}${zone}`;
}
