/**
 * parseRetryAfter reads a `Retry-After` value — delay seconds or an HTTP date — as milliseconds to
 * wait from `now`; undefined when absent or unreadable, 0 for dates in the past.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: Date = new Date(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
