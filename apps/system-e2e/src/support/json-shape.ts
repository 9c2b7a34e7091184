/** The JSON type of a value, as a key path's shape records it. */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * shapeOf lists every key path of a JSON value with its type (`Config.Env: array`), array
 * elements merged under `[]`: what a client reading the answer depends on, without the values.
 */
export function shapeOf(value: unknown, prefix = ''): string[] {
  const here = prefix === '' ? [] : [`${prefix}: ${typeOf(value)}`];
  if (Array.isArray(value)) {
    const inner = value.flatMap((item) => shapeOf(item, `${prefix}[]`));
    return [...new Set([...here, ...inner])].sort();
  }
  if (value !== null && typeof value === 'object') {
    const inner = Object.entries(value).flatMap(([key, item]) =>
      shapeOf(item, prefix === '' ? key : `${prefix}.${key}`),
    );
    return [...here, ...inner].sort();
  }
  return here;
}

/** A key path that may differ between dockerd 20.10 and Stevedore, and why. */
export interface Difference {
  /** Matches key paths (with their type) of `shapeOf`. */
  readonly path: RegExp;
  readonly reason: string;
}

/** withoutDocumented drops the key paths a documented difference covers. */
export function withoutDocumented(shape: string[], documented: readonly Difference[]): string[] {
  return shape.filter((line) => !documented.some((d) => d.path.test(line)));
}

/** scrub replaces what must differ between two daemons (IDs, times) with stable placeholders. */
export function scrub(text: string, rules: readonly [RegExp, string][]): string {
  return rules.reduce((out, [pattern, by]) => out.replace(pattern, by), text);
}
