/** HeaderMap is how undici hands response headers over: lower-cased names, repeated headers as arrays. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** firstHeader returns the first value of header `name` (lower case), or undefined when absent. */
export function firstHeader(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** allHeaders returns every value of header `name` (lower case) as a list. */
export function allHeaders(headers: HeaderMap, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** mediaTypeOf strips parameters (`; charset=…`) from a Content-Type value, as §2.2 asks clients to. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const bare = contentType?.split(';')[0]?.trim().toLowerCase();
  return bare ? bare : undefined;
}
