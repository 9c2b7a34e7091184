import { DomainError, ErrorCode, asDomainError } from '@stevedore/domain';
import { internalErrorMessage, logUnexpected } from '@stevedore/observability';

/**
 * The HTTP status of each domain error code on Stevedore's internal endpoints (the blobstore's and
 * the exporter's). Exhaustive: a new code does not compile until it has a status.
 */
const STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNAVAILABLE: 503,
  TOO_MANY_REQUESTS: 429,
  DIGEST_MISMATCH: 422,
  UNSUPPORTED: 501,
  // Insufficient Storage, not 500: a bodiless answer (HEAD) must still tell a full disk from a bug.
  NO_SPACE: 507,
  INTERNAL: 500,
};

/** The HTTP status of a thrown error on an internal endpoint. */
export function statusOf(err: unknown): number {
  const known = asDomainError(err);
  return known ? STATUS[known.code] : 500;
}

/**
 * The `{code, message}` JSON body of a thrown error on an internal endpoint; an unexpected one is
 * logged, and its body carries only the id it was logged under.
 */
export function bodyOf(err: unknown): string {
  return JSON.stringify(
    asDomainError(err)?.toErrorPayload() ?? {
      code: 'INTERNAL',
      message: internalErrorMessage(logUnexpected('internal endpoint', err)),
    },
  );
}

/** Rebuilds the DomainError an error response of `peer` (`blob store`, `exporter`) carried. */
export function errorFromResponse(status: number, body: string, peer: string): DomainError {
  try {
    const parsed = JSON.parse(body) as { code?: string; message?: string };
    if (parsed.code && parsed.message)
      return DomainError.fromPayload({ code: parsed.code, message: parsed.message });
  } catch {
    // Not our JSON: fall through to a generic error that keeps the status.
  }
  // A bodiless answer (HEAD) still carries its code in the status.
  const code = (Object.keys(STATUS) as ErrorCode[]).find((c) => STATUS[c] === status);
  return new DomainError(code ?? 'UNAVAILABLE', `${peer} answered ${status}`);
}
