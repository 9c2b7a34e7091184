/**
 * ERROR_CODES is the closed set of domain error codes; every error that crosses a process boundary
 * carries exactly one of them, and each edge (Engine API, `/v2/`, the bus) maps all of them.
 */
export const ERROR_CODES = [
  'NOT_FOUND',
  'INVALID_ARGUMENT',
  'CONFLICT',
  'UNAUTHORIZED',
  'DENIED',
  'UNAVAILABLE',
  'TOO_MANY_REQUESTS',
  'DIGEST_MISMATCH',
  'UNSUPPORTED',
  'NO_SPACE',
  'INTERNAL',
] as const;

/** ErrorCode is one member of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

/** isErrorCode tells whether `value` is one of the closed set of {@link ErrorCode}s. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}
