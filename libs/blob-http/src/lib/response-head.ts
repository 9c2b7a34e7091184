import { DomainError } from '@stevedore/domain';

/** The head of an HTTP/1.1 answer, as far as a blob GET needs it. */
export interface ResponseHead {
  status: number;
  /** The declared body length; undefined without Content-Length (a chunked body). */
  contentLength: number | undefined;
  chunked: boolean;
  /** The head's length in bytes, its blank line included: the body starts there. */
  length: number;
}

const END = Buffer.from('\r\n\r\n');

/**
 * parseHead reads the head at the start of `bytes`: undefined while it is not all there, an error
 * when it is malformed or longer than `max` bytes. Only the blobstore's own answers come here, so
 * it takes the status and the two headers that frame the body, and checks what it takes.
 */
export function parseHead(bytes: Buffer, max: number): ResponseHead | Error | undefined {
  const end = bytes.indexOf(END);
  if (end < 0) return bytes.length > max ? malformed('a head longer than the limit') : undefined;
  const [statusLine = '', ...lines] = bytes.toString('latin1', 0, end).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine)?.[1];
  if (!status) return malformed('no status line');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return malformed('a header line without a name');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const declared = headers.get('content-length');
  const contentLength = declared === undefined ? undefined : Number(declared);
  if (contentLength !== undefined && !(Number.isSafeInteger(contentLength) && contentLength >= 0))
    return malformed(`Content-Length ${declared}`);
  const chunked = /\bchunked\b/i.test(headers.get('transfer-encoding') ?? '');
  return { status: Number(status), contentLength, chunked, length: end + END.length };
}

/** dechunk joins the chunks of a whole chunked body (a short error answer); stops at a bad one. */
export function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = lineEnd < 0 ? NaN : parseInt(body.toString('latin1', at, lineEnd), 16);
    if (!(size > 0)) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function malformed(what: string): Error {
  return DomainError.internal(`the blob store answered with ${what}`);
}
