import { parseRateLimit } from '../http/rate-limit';
import { parseRetryAfter } from '../http/retry-after';
import { isTemporary } from '../http/transport-error';
import { registryError } from './distribution-error';

const ctx = (status: number, method = 'GET') => ({
  method,
  where: 'https://r.example/v2/app/manifests/nope',
  status,
});

describe('registryError (T16, §2.8)', () => {
  it('maps MANIFEST_UNKNOWN to NOT_FOUND keeping code, message and detail', () => {
    const body =
      '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"nope"}}]}';
    const error = registryError(ctx(404), body);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('manifest unknown');
    expect(error.details).toMatchObject({
      status: 404,
      registryCode: 'MANIFEST_UNKNOWN',
      detail: '{"Tag":"nope"}',
    });
    expect(isTemporary(error)).toBe(false);
  });

  it('maps a 401 UNAUTHORIZED body to UNAUTHORIZED with the registry message', () => {
    const body =
      '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository","Name":"samalba/my-app","Action":"pull"}]}]}';
    const error = registryError(ctx(401), body);
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe('authentication required');
  });

  it.each([
    { status: 404, method: 'HEAD', code: 'NOT_FOUND' },
    { status: 403, method: 'HEAD', code: 'DENIED' },
    { status: 405, method: 'DELETE', code: 'UNSUPPORTED' },
    { status: 503, method: 'GET', code: 'UNAVAILABLE' },
  ])('maps a bodiless $status on $method to $code', ({ status, method, code }) => {
    const error = registryError(ctx(status, method), '');
    expect(error.code).toBe(code);
    expect(error.message).toBe(
      `${method} https://r.example/v2/app/manifests/nope failed with ${status} status`,
    );
    expect(isTemporary(error)).toBe(status >= 500 || status === 429);
  });

  it("words a 429 as Docker does: the registry's code and message, Docker Hub's included", () => {
    const hub =
      '{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]}';
    const error = registryError(ctx(429), hub);
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message).toBe('toomanyrequests: You have reached your pull rate limit.');
    expect(isTemporary(error)).toBe(true);
  });

  it('words a bodiless 429 as toomanyrequests, naming the host and the Retry-After', () => {
    const error = registryError({ ...ctx(429, 'HEAD'), retryAfterMs: 3_600_000 }, '');
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message).toBe(
      'toomanyrequests: too many requests to r.example, retry after 3600s',
    );
    expect(registryError(ctx(429), '').message).toBe(
      'toomanyrequests: too many requests to r.example',
    );
  });

  it('treats a 502 HTML page as a retryable error with a truncated message', () => {
    const html = `<html><body>${'Bad gateway '.repeat(100)}</body></html>`;
    const error = registryError(ctx(502), html);
    expect(error.code).toBe('UNAVAILABLE');
    expect(isTemporary(error)).toBe(true);
    expect(error.message.length).toBeLessThan(420);
    expect(error.message).toMatch(/failed with 502: <html><body>Bad gateway/);
  });

  it.each([
    ['DENIED', 'DENIED'],
    ['TOOMANYREQUESTS', 'TOO_MANY_REQUESTS'],
    ['DIGEST_INVALID', 'DIGEST_MISMATCH'],
    ['BLOB_UNKNOWN', 'NOT_FOUND'],
    ['NAME_UNKNOWN', 'NOT_FOUND'],
    ['MANIFEST_INVALID', 'INVALID_ARGUMENT'],
    ['MANIFEST_BLOB_UNKNOWN', 'CONFLICT'],
    ['UNSUPPORTED', 'UNSUPPORTED'],
  ])('maps registry code %s to %s', (registryCode, code) => {
    expect(registryError(ctx(400), `{"errors":[{"code":"${registryCode}"}]}`).code).toBe(code);
  });
});

describe('parseRetryAfter (T16)', () => {
  const now = new Date('2026-10-21T07:27:00Z');
  it('reads delay seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('parseRateLimit (T16)', () => {
  it('reads Docker Hub headers', () => {
    expect(
      parseRateLimit({
        'ratelimit-limit': '100;w=21600',
        'ratelimit-remaining': '76;w=21600',
        'docker-ratelimit-source': '192.0.2.1',
      }),
    ).toEqual({ limit: 100, remaining: 76, windowSeconds: 21600, source: '192.0.2.1' });
  });

  it('accepts X-RateLimit spellings without a window, and nothing when absent', () => {
    expect(
      parseRateLimit({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999' }),
    ).toEqual({ limit: 5000, remaining: 4999 });
    expect(parseRateLimit({})).toBeUndefined();
  });
});
