/** must returns `value`, failing the test with `what` when it is undefined (instead of a `!` assertion). */
export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`test setup: missing ${what}`);
  return value;
}
