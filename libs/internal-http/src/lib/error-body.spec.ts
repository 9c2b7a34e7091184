import { DomainError } from '@stevedore/domain';
import { bodyOf, errorFromResponse, statusOf } from './error-body';

describe('the internal endpoints’ error form', () => {
  it('carries a domain error across HTTP with its code, message and status', () => {
    const error = DomainError.notFound('No such image: x');
    expect(statusOf(error)).toBe(404);
    expect(errorFromResponse(statusOf(error), bodyOf(error), 'exporter')).toMatchObject({
      code: 'NOT_FOUND',
      message: 'No such image: x',
    });
  });

  it('hides anything that is not a domain error', () => {
    expect(statusOf(new Error('secret path /var/x'))).toBe(500);
    // Logged under an id; the body carries the id only.
    expect(JSON.parse(bodyOf(new Error('secret path /var/x')))).toEqual({
      code: 'INTERNAL',
      message: expect.stringMatching(/^internal error \(errorId [0-9a-f-]{36}\)$/),
    });
  });

  it('reads a code from a bodiless or foreign answer, naming the peer', () => {
    expect(errorFromResponse(409, '', 'blob store')).toMatchObject({
      code: 'CONFLICT',
      message: 'blob store answered 409',
    });
    expect(errorFromResponse(502, '<html>', 'exporter')).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'exporter answered 502',
    });
  });

  it('carries a full disk across HTTP as NO_SPACE (507), body or not, and hides the path', () => {
    const full = Object.assign(new Error("ENOSPC: no space left on device, open '/d/x'"), {
      code: 'ENOSPC',
      syscall: 'open',
    });
    expect(statusOf(full)).toBe(507);
    expect(errorFromResponse(statusOf(full), bodyOf(full), 'blob store')).toMatchObject({
      code: 'NO_SPACE',
      message: 'no space left on device',
    });
    expect(bodyOf(full)).not.toContain('/d/x');
    expect(errorFromResponse(507, '', 'blob store')).toMatchObject({ code: 'NO_SPACE' });
  });
});
