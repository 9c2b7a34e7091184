import { Readable } from 'node:stream';
import { DomainError } from '@stevedore/domain';

/**
 * openImportUrl streams `docker import <url>`'s source, only from a host on the allow-list (an open
 * endpoint must not fetch arbitrary URLs for whoever asks), over http(s), without following redirects
 * (a redirect could leave the allow-list).
 */
export async function openImportUrl(
  source: string,
  allowlist: readonly string[],
  signal?: AbortSignal,
): Promise<Readable> {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? source : `http://${source}`);
  } catch {
    throw DomainError.invalidArgument(`invalid import source: ${source}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw DomainError.invalidArgument(`cannot import from ${url.protocol} URLs`);
  if (!allowlist.includes(url.hostname) && !allowlist.includes(url.host)) {
    throw new DomainError(
      'DENIED',
      `importing from ${url.host} is not allowed: add it to import-url-allowlist in the configuration`,
    );
  }
  // undici loads with the first import from a URL, not with the exporter (see Transport).
  const { request } = require('undici') as typeof import('undici');
  const res = await request(url, {
    method: 'GET',
    headersTimeout: 30_000,
    bodyTimeout: 60_000,
    signal,
  });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw DomainError.invalidArgument(
      `downloading ${url.origin}${url.pathname} answered ${res.statusCode}`,
    );
  }
  return res.body;
}
