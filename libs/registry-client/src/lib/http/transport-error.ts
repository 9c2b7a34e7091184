import { DomainError, isDomainError } from '@stevedore/domain';

// Error codes Node and undici use for failures worth another attempt: the peer was unreachable,
// went away, or stayed silent longer than we allow.
const TEMPORARY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const name = (error as { name?: unknown }).name;
  if (name === 'TimeoutError') return 'ETIMEDOUT';
  return errorCode((error as { cause?: unknown }).cause);
}

function describe(code: string | undefined): string {
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'stalled (no data within the stall timeout)';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect timed out';
    default:
      return code ? `failed (${code})` : 'failed';
  }
}

/**
 * toTransportError turns a network-level failure (refused, reset, stalled, timed out) into an
 * UNAVAILABLE DomainError marked `temporary` so the retry policy and mirror fallback can act on it.
 * `where` must be an origin and path only: query strings may hold signatures and never reach messages.
 * DomainErrors pass through unchanged.
 */
export function toTransportError(error: unknown, where: string): DomainError {
  if (isDomainError(error)) return error;
  const code = errorCode(error);
  const temporary = code !== undefined && TEMPORARY_CODES.has(code);
  return new DomainError(
    'UNAVAILABLE',
    `request to ${where} ${describe(code)}`,
    { temporary, connect: code !== undefined && CONNECT_CODES.has(code), cause: code ?? 'unknown' },
    { cause: error },
  );
}

/** isTemporary tells whether an error is worth retrying: a network failure, a 5xx or a 429. */
export function isTemporary(error: unknown): boolean {
  return isDomainError(error) && error.details?.['temporary'] === true;
}

/** isConnectFailure tells whether the error means the endpoint could not be reached at all. */
export function isConnectFailure(error: unknown): boolean {
  return isDomainError(error) && error.details?.['connect'] === true;
}

/** safeLocation renders a URL as origin + path, dropping the query (presigned signatures, `_state`). */
export function safeLocation(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
