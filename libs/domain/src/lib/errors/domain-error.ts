import { ErrorCode, isErrorCode } from './error-codes';

/** ErrorPayload is the plain-object form of a {@link DomainError}, safe to serialise across a bus. */
export interface ErrorPayload {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** ErrorPayloadInput is what {@link DomainError.fromPayload} accepts: a payload whose code is not yet trusted. */
export interface ErrorPayloadInput {
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/**
 * DomainError is the one error type the domain throws: a {@link ErrorCode} from the closed set, a
 * human-readable message (shown to users as-is, so it never contains secrets) and optional details.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** DomainError.notFound builds a NOT_FOUND error. */
  static notFound(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError('NOT_FOUND', message, details);
  }

  /** DomainError.invalidArgument builds an INVALID_ARGUMENT error (bad user input). */
  static invalidArgument(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError('INVALID_ARGUMENT', message, details);
  }

  /** DomainError.conflict builds a CONFLICT error (the state forbids the operation). */
  static conflict(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError('CONFLICT', message, details);
  }

  /** DomainError.unsupported builds an UNSUPPORTED error (valid input we deliberately do not handle). */
  static unsupported(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError('UNSUPPORTED', message, details);
  }

  /** DomainError.digestMismatch builds a DIGEST_MISMATCH error (content differs from its address). */
  static digestMismatch(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError('DIGEST_MISMATCH', message, details);
  }

  /** DomainError.internal builds an INTERNAL error (a bug or an unexpected state). */
  static internal(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError('INTERNAL', message, details);
  }

  /**
   * DomainError.fromPayload rebuilds the DomainError a payload describes; an unknown code becomes
   * INTERNAL and the received code is kept in `details.originalCode`, so nothing is silently lost.
   */
  static fromPayload(payload: ErrorPayloadInput): DomainError {
    const message = typeof payload.message === 'string' ? payload.message : String(payload.message);
    const details = isPlainRecord(payload.details) ? payload.details : undefined;
    if (isErrorCode(payload.code)) return new DomainError(payload.code, message, details);
    return new DomainError('INTERNAL', message, { ...details, originalCode: String(payload.code) });
  }

  /** toErrorPayload returns the plain {@link ErrorPayload} that {@link DomainError.fromPayload} turns back into this error. */
  toErrorPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** isDomainError tells whether `error` is a {@link DomainError}. */
export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/**
 * assertUnreachable marks the end of an exhaustive `switch`: it only type-checks when every case is
 * handled, and throws INTERNAL if a value the types ruled out arrives at run time anyway.
 */
export function assertUnreachable(value: never): never {
  throw new DomainError('INTERNAL', `unreachable case: ${JSON.stringify(value)}`);
}
