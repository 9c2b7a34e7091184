/** splitLinks splits a `Link` header on the commas that lie outside `<…>`. */
function splitLinks(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

function relOf(params: string): string[] {
  const match = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(params);
  const rel = match?.[1] ?? match?.[2] ?? '';
  return rel.toLowerCase().split(/\s+/);
}

/**
 * nextLink returns the absolute URL of the `rel="next"` entry of a `Link` header (RFC 8288), resolving
 * a relative target against `requestUrl`; undefined when there is no next page.
 */
export function nextLink(linkHeader: string | undefined, requestUrl: URL): URL | undefined {
  if (!linkHeader) return undefined;
  for (const entry of splitLinks(linkHeader)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(entry);
    if (!match?.[1] || !relOf(match[2] ?? '').includes('next')) continue;
    return new URL(match[1], requestUrl);
  }
  return undefined;
}
