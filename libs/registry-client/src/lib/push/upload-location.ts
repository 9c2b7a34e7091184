/**
 * resolveLocation resolves a `Location` header against the URL of the response that carried it
 * (RFC 7231 §7.1.2): relative paths join the registry origin, absolute URLs stay as they are.
 */
export function resolveLocation(location: string, responseUrl: URL): URL {
  return new URL(location, responseUrl);
}

/**
 * withDigestParam appends `digest=<digest>` to an upload URL's existing query as text (T12): the
 * query is never rebuilt, because signed upload URLs break when other parameters are re-encoded.
 */
export function withDigestParam(uploadUrl: URL, digest: string): URL {
  const href = uploadUrl.href;
  const sep = uploadUrl.search ? '&' : '?';
  return new URL(`${href}${sep}digest=${encodeURIComponent(digest)}`);
}

/** parseUploadRange reads an upload session's `Range` (`0-4999` or `bytes=0-4999`) as the next offset (T13). */
export function parseUploadRange(value: string | undefined): number {
  const match = /^\s*(?:bytes=)?0-(\d+)\s*$/.exec(value ?? '');
  if (!match?.[1]) return 0;
  const end = Number(match[1]);
  // `0-0` is ambiguous (empty session or exactly one byte), so resume from the start.
  return end === 0 ? 0 : end + 1;
}
