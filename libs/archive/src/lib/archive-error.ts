import { DomainError, isDomainError } from '@stevedore/domain';

/**
 * invalidArchive builds the INVALID_ARGUMENT error for a malformed or hostile archive. `message` is
 * shown to the user as-is (Docker's own wording where Docker has one, else `invalid archive: …`).
 */
export function invalidArchive(message: string, details?: Record<string, unknown>): DomainError {
  return DomainError.invalidArgument(message, details);
}

/**
 * asArchiveError rewrites an error raised while validating archive content: a domain parser's
 * INVALID_ARGUMENT or DIGEST_MISMATCH becomes INVALID_ARGUMENT prefixed with `context`, UNSUPPORTED
 * stays UNSUPPORTED; anything else is rethrown untouched.
 */
export function asArchiveError(error: unknown, context: string): unknown {
  if (!isDomainError(error)) return error;
  if (error.code === 'INVALID_ARGUMENT' || error.code === 'DIGEST_MISMATCH') {
    return invalidArchive(`invalid archive: ${context}: ${error.message}`, error.details);
  }
  return error;
}

/** guarded runs `parse` and maps its errors with {@link asArchiveError}. */
export function guarded<T>(context: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw asArchiveError(error, context);
  }
}

/** errorMessage reads an error's message (duck-typed: errors from Node internals may come from another realm). */
export function errorMessage(error: unknown): string {
  const message =
    typeof error === 'object' && error !== null
      ? (error as { message?: unknown }).message
      : undefined;
  return typeof message === 'string' ? message : String(error);
}

/** isSystemError tells a failed system call (ENOSPC, EACCES…) — our fault or the host's, not the archive's. */
export function isSystemError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { syscall?: unknown }).syscall === 'string'
  );
}

/** How tar-stream, zlib and the bzip2/xz/zstd tools say that their input stopped short. */
const TRUNCATED = /unexpected end of (data|file|input)|ends unexpectedly|premature end|truncated/i;

/**
 * dockerWords says a truncated stream the way Docker does (Go's io.ErrUnexpectedEOF:
 * `unexpected EOF`); any other parser message is kept as it is.
 */
export function dockerWords(error: unknown): string {
  const message = errorMessage(error);
  return TRUNCATED.test(message) ? 'unexpected EOF' : message;
}
