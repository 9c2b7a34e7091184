import { ErrorCode, isDomainError } from '@stevedore/domain';

/** OciErrorCode is the distribution spec's closed set of error codes (plus the CNCF registry's UNAVAILABLE and UNKNOWN). */
export type OciErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOOMANYREQUESTS'
  | 'UNAVAILABLE'
  | 'UNKNOWN';

/** RegistryError is an answer in the spec's error form: a status and one `{code, message, detail}`. */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: OciErrorCode,
    message: string,
    readonly detail?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** body is the JSON the spec prescribes: `{"errors":[{"code","message","detail"}]}`. */
  body(): string {
    const error = { code: this.code, message: this.message, detail: this.detail ?? null };
    return JSON.stringify({ errors: [error] });
  }
}

/** What the domain's codes mean on `/v2/` when the operation named nothing more specific. */
const DOMAIN_TO_OCI: Record<ErrorCode, [number, OciErrorCode]> = {
  NOT_FOUND: [404, 'NAME_UNKNOWN'],
  INVALID_ARGUMENT: [400, 'UNSUPPORTED'],
  CONFLICT: [409, 'DENIED'],
  UNAUTHORIZED: [401, 'UNAUTHORIZED'],
  DENIED: [403, 'DENIED'],
  UNAVAILABLE: [503, 'UNAVAILABLE'],
  TOO_MANY_REQUESTS: [429, 'TOOMANYREQUESTS'],
  DIGEST_MISMATCH: [400, 'DIGEST_INVALID'],
  UNSUPPORTED: [415, 'UNSUPPORTED'],
  NO_SPACE: [507, 'UNKNOWN'],
  INTERNAL: [500, 'UNKNOWN'],
};

/**
 * toRegistryError maps whatever a handler threw to the spec's error form: a RegistryError as is, a
 * DomainError by its code (INVALID_ARGUMENT as `invalid`, the operation's own code, when given),
 * anything else as a 500 whose message hides the internals.
 */
export function toRegistryError(err: unknown, invalid?: OciErrorCode): RegistryError {
  if (err instanceof RegistryError) return err;
  if (!isDomainError(err)) return new RegistryError(500, 'UNKNOWN', 'internal server error');
  const [status, code] = DOMAIN_TO_OCI[err.code];
  if (err.code === 'INVALID_ARGUMENT' && invalid)
    return new RegistryError(400, invalid, err.message);
  return new RegistryError(status, code, err.message);
}
