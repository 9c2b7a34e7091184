import { DomainError } from '@stevedore/domain';

/**
 * The Go types dockerd decodes `POST /build`'s JSON parameters into: `buildargs` is
 * `map[string]*string`, `labels` `map[string]string`, `cachefrom` `[]string`, `ulimits` a list of
 * objects. JSON `null` decodes to the empty value, as Go leaves a nil map or slice.
 */
export type GoJsonType =
  'map[string]*string' | 'map[string]string' | '[]string' | '[]*units.Ulimit';

type Decoded<T extends GoJsonType> = T extends 'map[string]*string'
  ? Record<string, string | null>
  : T extends 'map[string]string'
    ? Record<string, string>
    : T extends '[]string'
      ? string[]
      : Record<string, unknown>[];

/**
 * decodeGoJson parses `raw` as Go's `json.Unmarshal` would into `type`, and throws
 * INVALID_ARGUMENT with Go's wording (`invalid character 'b' looking for beginning of object key
 * string`, `json: cannot unmarshal array into Go value of type map[string]string`) prefixed by
 * `context` when given (dockerd's `error reading build args: …`).
 */
export function decodeGoJson<T extends GoJsonType>(
  raw: string,
  type: T,
  context?: string,
): Decoded<T> {
  const fail = (why: string): never => {
    throw DomainError.invalidArgument(context ? `${context}: ${why}` : why);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return fail(goSyntaxError(raw, err));
  }
  const problem = typeProblem(parsed, type);
  if (problem !== undefined) fail(problem);
  return (parsed ?? (type.startsWith('[]') ? [] : {})) as Decoded<T>;
}

/** kindOf is how Go's decoder names a JSON value in `cannot unmarshal <kind>`. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value === 'boolean' ? 'bool' : typeof value;
}

function unmarshal(value: unknown, goType: string): string {
  return `json: cannot unmarshal ${kindOf(value)} into Go value of type ${goType}`;
}

function typeProblem(parsed: unknown, type: GoJsonType): string | undefined {
  if (parsed === null) return undefined;
  const wantsList = type.startsWith('[]');
  if (wantsList !== Array.isArray(parsed) || typeof parsed !== 'object')
    return unmarshal(parsed, type);
  const values = Object.values(parsed as object) as unknown[];
  const element = type === '[]*units.Ulimit' ? 'units.Ulimit' : 'string';
  const nullable = type === 'map[string]*string' || type === '[]*units.Ulimit';
  const bad = values.find((v) =>
    v === null ? !nullable : element === 'string' ? typeof v !== 'string' : kindOf(v) !== 'object',
  );
  // Go leaves a null element of []string or map[string]string as "", so only other kinds fail.
  if (bad === undefined || bad === null) return undefined;
  return unmarshal(bad, element);
}

/**
 * goSyntaxError words a JSON syntax error as Go's `encoding/json` does, from the offending
 * character Node reports: `unexpected end of JSON input` or `invalid character 'x' looking for
 * beginning of value` (`… of object key string` where a key was due).
 */
function goSyntaxError(raw: string, err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const at = /at position (\d+)/.exec(message)?.[1];
  const token = /Unexpected token '(.)'/.exec(message)?.[1];
  const index = at !== undefined ? Number(at) : token !== undefined ? raw.indexOf(token) : -1;
  const char = raw[index];
  if (index < 0 || char === undefined) return 'unexpected end of JSON input';
  const before = raw.slice(0, index).trimEnd().slice(-1);
  const keyDue = /property name/.test(message) || (before === '{' && char !== '}');
  if (/Expected ':'/.test(message)) return `invalid character '${char}' after object key`;
  return `invalid character '${char}' looking for beginning of ${keyDue ? 'object key string' : 'value'}`;
}
