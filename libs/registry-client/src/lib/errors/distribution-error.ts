import { DomainError, ErrorCode } from '@stevedore/domain';

/** DistributionErrorEntry is one element of a registry's `{"errors": [...]}` body (§2.8). */
export interface DistributionErrorEntry {
  readonly code: string;
  readonly message?: string;
  readonly detail?: unknown;
}

/** ErrorContext says which request failed, for the error's message and details (never credentials). */
export interface ErrorContext {
  readonly method: string;
  /** origin + path, without query. */
  readonly where: string;
  readonly status: number;
  readonly retryAfterMs?: number;
}

// Registry error codes (§2.8) mapped onto the closed domain set.
const CODE_MAP: Readonly<Record<string, ErrorCode>> = {
  BLOB_UNKNOWN: 'NOT_FOUND',
  BLOB_UPLOAD_INVALID: 'NOT_FOUND',
  BLOB_UPLOAD_UNKNOWN: 'NOT_FOUND',
  MANIFEST_UNKNOWN: 'NOT_FOUND',
  NAME_UNKNOWN: 'NOT_FOUND',
  DIGEST_INVALID: 'DIGEST_MISMATCH',
  MANIFEST_BLOB_UNKNOWN: 'CONFLICT',
  RANGE_INVALID: 'CONFLICT',
  MANIFEST_INVALID: 'INVALID_ARGUMENT',
  MANIFEST_UNVERIFIED: 'INVALID_ARGUMENT',
  NAME_INVALID: 'INVALID_ARGUMENT',
  SIZE_INVALID: 'INVALID_ARGUMENT',
  TAG_INVALID: 'INVALID_ARGUMENT',
  PAGINATION_NUMBER_INVALID: 'INVALID_ARGUMENT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  DENIED: 'DENIED',
  UNSUPPORTED: 'UNSUPPORTED',
  TOOMANYREQUESTS: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'UNAVAILABLE',
  UNKNOWN: 'UNAVAILABLE',
};

/** statusCode maps an HTTP status to a domain code when the body names none (HEAD, HTML pages). */
export function statusCode(status: number): ErrorCode {
  if (status >= 500) return 'UNAVAILABLE';
  switch (status) {
    case 400:
    case 413:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'DENIED';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'UNSUPPORTED';
    case 409:
    case 416:
      return 'CONFLICT';
    case 429:
      return 'TOO_MANY_REQUESTS';
    default:
      return 'INTERNAL';
  }
}

const MAX_TEXT = 300;

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT)}…` : flat;
}

/** parseErrorBody extracts the `errors` array of a registry error body; [] when it is not that JSON. */
export function parseErrorBody(text: string): DistributionErrorEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const errors =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as { errors?: unknown }).errors
      : undefined;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e: unknown): DistributionErrorEntry[] => {
    if (typeof e !== 'object' || e === null) return [];
    const { code, message, detail } = e as Record<string, unknown>;
    if (typeof code !== 'string') return [];
    return [
      {
        code,
        ...(typeof message === 'string' ? { message } : {}),
        ...(detail !== undefined ? { detail } : {}),
      },
    ];
  });
}

function detailText(detail: unknown): string {
  return truncate(typeof detail === 'string' ? detail : (JSON.stringify(detail) ?? ''));
}

/**
 * registryError builds the DomainError for a failed registry response: the code comes from the first
 * registry error code (else from the HTTP status), the message is the registry's own message (else a
 * truncated body or the status), and details keep status, registry code, detail and `temporary` (5xx
 * and 429 are worth retrying).
 */
export function registryError(ctx: ErrorContext, bodyText: string): DomainError {
  const entries = parseErrorBody(bodyText);
  const first = entries[0];
  const mapped = first ? CODE_MAP[first.code] : undefined;
  const code: ErrorCode = mapped ?? statusCode(ctx.status);
  const registryMessage = entries
    .map((e) => e.message ?? e.code.toLowerCase().replace(/_/g, ' '))
    .join('; ');
  const fallback = bodyText.trim()
    ? `${ctx.status}: ${truncate(bodyText)}`
    : `${ctx.status} status`;
  // A bodiless 401 (any HEAD) says what Docker says for it; other statuses name the request.
  const bare =
    ctx.status === 401 && !bodyText.trim() ? 'unauthorized: authentication required' : undefined;
  const message =
    ctx.status === 429
      ? tooManyRequestsMessage(ctx, entries)
      : registryMessage || bare || `${ctx.method} ${ctx.where} failed with ${fallback}`;
  return new DomainError(code, message, {
    status: ctx.status,
    method: ctx.method,
    url: ctx.where,
    temporary: ctx.status >= 500 || ctx.status === 429,
    ...(first ? { registryCode: first.code } : {}),
    ...(first?.detail !== undefined ? { detail: detailText(first.detail) } : {}),
    ...(ctx.retryAfterMs !== undefined ? { retryAfterMs: ctx.retryAfterMs } : {}),
  });
}

/**
 * tooManyRequestsMessage words a 429 as Docker prints a registry's errors (distribution's
 * `errcode.Error`: `<code in lower case>: <message>`), e.g. Docker Hub's `toomanyrequests: You have
 * reached your pull rate limit…`; a body without errors still says `toomanyrequests`, whom to wait
 * for and how long.
 */
function tooManyRequestsMessage(ctx: ErrorContext, entries: DistributionErrorEntry[]): string {
  if (entries.length > 0)
    return entries
      .map((e) => {
        const code = e.code.toLowerCase().replace(/_/g, ' ');
        return e.message ? `${code}: ${e.message}` : code;
      })
      .join('; ');
  const host = URL.canParse(ctx.where) ? new URL(ctx.where).host : ctx.where;
  const after =
    ctx.retryAfterMs !== undefined ? `, retry after ${Math.ceil(ctx.retryAfterMs / 1000)}s` : '';
  return `toomanyrequests: too many requests to ${host}${after}`;
}
