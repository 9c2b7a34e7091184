import { DomainError, assertUnreachable, isDomainError } from './domain-error';
import { ERROR_CODES, ErrorCode, isErrorCode } from './error-codes';

describe('DomainError', () => {
  it.each(ERROR_CODES)('round-trips %s through a JSON payload', (code) => {
    const original = new DomainError(code, `failed with ${code}`, { ref: 'busybox:latest' });
    const wire = JSON.parse(JSON.stringify(original.toErrorPayload()));
    const back = DomainError.fromPayload(wire);
    expect(back).toBeInstanceOf(DomainError);
    expect(back).toBeInstanceOf(Error);
    expect(back.code).toBe(code);
    expect(back.message).toBe(`failed with ${code}`);
    expect(back.details).toEqual({ ref: 'busybox:latest' });
  });

  it('omits details from the payload when there are none', () => {
    expect(DomainError.notFound('no such image: x').toErrorPayload()).toEqual({
      code: 'NOT_FOUND',
      message: 'no such image: x',
    });
  });

  it('turns an unknown code into INTERNAL and keeps the code it received', () => {
    const back = DomainError.fromPayload({
      code: 'TEAPOT',
      message: 'short and stout',
      details: { a: 1 },
    });
    expect(back.code).toBe('INTERNAL');
    expect(back.message).toBe('short and stout');
    expect(back.details).toEqual({ a: 1, originalCode: 'TEAPOT' });
  });

  it('builds each helper with its own code', () => {
    const built: Array<[DomainError, ErrorCode]> = [
      [DomainError.notFound('m'), 'NOT_FOUND'],
      [DomainError.invalidArgument('m'), 'INVALID_ARGUMENT'],
      [DomainError.conflict('m'), 'CONFLICT'],
      [DomainError.unsupported('m'), 'UNSUPPORTED'],
      [DomainError.digestMismatch('m'), 'DIGEST_MISMATCH'],
      [DomainError.internal('m'), 'INTERNAL'],
    ];
    for (const [error, code] of built) expect(error.code).toBe(code);
  });

  it('is recognised by isDomainError, and plain errors are not', () => {
    expect(isDomainError(DomainError.conflict('busy'))).toBe(true);
    expect(isDomainError(new Error('busy'))).toBe(false);
    expect(isDomainError({ code: 'CONFLICT', message: 'busy' })).toBe(false);
  });

  it('knows exactly the eleven codes of the closed set', () => {
    expect(ERROR_CODES).toHaveLength(11);
    expect(isErrorCode('DIGEST_MISMATCH')).toBe(true);
    expect(isErrorCode('digest_mismatch')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });

  it('assertUnreachable throws INTERNAL when a ruled-out value arrives', () => {
    const sneaky = 'PURPLE' as never;
    expect(() => assertUnreachable(sneaky)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});
