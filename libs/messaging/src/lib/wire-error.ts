import { DomainError, asDomainError, isDomainError } from '@stevedore/domain';

/** The shape in which an error crosses the bus. */
export interface WireError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Turns anything a handler threw into the wire shape; a full disk is NO_SPACE, other unknown errors INTERNAL. */
export function errorToWire(err: unknown): WireError {
  return asDomainError(err)?.toErrorPayload() ?? { code: 'INTERNAL', message: 'internal error' };
}

/** Turns what came back over the bus into the DomainError the handler threw. */
export function errorFromWire(err: unknown): DomainError {
  if (isDomainError(err)) return err;
  if (typeof err === 'object' && err !== null && 'message' in err) {
    const { code, message, details } = err as Partial<WireError>;
    return DomainError.fromPayload({
      code: String(code ?? 'INTERNAL'),
      message: String(message),
      ...(details ? { details } : {}),
    });
  }
  return DomainError.fromPayload({ code: 'INTERNAL', message: String(err) });
}

/**
 * unavailableWire is the error of a request its owner did not answer: UNAVAILABLE `<owner>
 * service unavailable (<why>), retry later`, the owner being the first word of the pattern
 * (`<owner>.<aggregate>.<verb>.vN`). The Engine API answers it as a 503 or an in-stream error.
 */
export function unavailableWire(pattern: string, why: string): WireError {
  const owner = pattern.split('.')[0] || pattern;
  return { code: 'UNAVAILABLE', message: `${owner} service unavailable (${why}), retry later` };
}
