import { DomainError, ERROR_CODES, ErrorCode } from '@stevedore/domain';
import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { toEngineError } from './engine-exception.filter';
import { httpStatusForErrorCode } from './error-status';

describe('httpStatusForErrorCode', () => {
  const expected: Record<ErrorCode, number> = {
    NOT_FOUND: 404,
    INVALID_ARGUMENT: 400,
    CONFLICT: 409,
    UNAUTHORIZED: 401,
    DENIED: 403,
    UNAVAILABLE: 503,
    TOO_MANY_REQUESTS: 429,
    DIGEST_MISMATCH: 400,
    UNSUPPORTED: 501,
    NO_SPACE: 500,
    INTERNAL: 500,
  };

  it.each([...ERROR_CODES])('maps %s', (code) =>
    expect(httpStatusForErrorCode(code)).toBe(expected[code]),
  );

  it('fails loudly on a code outside the closed set', () => {
    expect(() => httpStatusForErrorCode('BOGUS' as ErrorCode)).toThrow(/unreachable/);
  });
});

describe('toEngineError', () => {
  it('keeps a domain error’s message', () => {
    expect(toEngineError(DomainError.conflict('conflict: unable to delete busybox'))).toEqual({
      status: 409,
      message: 'conflict: unable to delete busybox',
    });
  });

  it("turns the router's not-found into Docker's page not found", () => {
    expect(toEngineError(new NotFoundException('Cannot GET /nope'))).toEqual({
      status: 404,
      message: 'page not found',
    });
  });

  it('keeps the status and message of other HTTP errors', () => {
    expect(toEngineError(new BadRequestException(['a is bad', 'b is bad']))).toEqual({
      status: 400,
      message: 'a is bad; b is bad',
    });
    expect(toEngineError(new PayloadTooLargeException())).toEqual({
      status: 413,
      message: 'Payload Too Large',
    });
  });

  it('hides the details of unexpected errors', () => {
    expect(toEngineError(new TypeError('secret at /etc/x'))).toEqual({
      status: 500,
      message: 'internal server error',
    });
  });

  it('answers a full disk as dockerd does: 500 and the OS words, never "internal server error"', () => {
    const full = Object.assign(new Error("ENOSPC: no space left on device, write '/d/x'"), {
      code: 'ENOSPC',
      syscall: 'write',
    });
    expect(toEngineError(full)).toEqual({ status: 500, message: 'no space left on device' });
  });
});
