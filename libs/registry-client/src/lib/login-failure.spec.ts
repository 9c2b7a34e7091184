import { DomainError } from '@stevedore/domain';
import { loginFailure, tokenLoginFailure } from './client';

describe('loginFailure (dockerd 20.10’s loginV2 words)', () => {
  it('names the /v2/ URL and the status with its text', () => {
    const err = loginFailure('http://127.0.0.1:5000', 401);
    expect(err.message).toBe(
      'login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized',
    );
    expect(err.code).toBe('UNAUTHORIZED');
    expect(loginFailure('https://r.example', 403).code).toBe('DENIED');
    expect(loginFailure('https://r.example', 502).message).toBe(
      'login attempt to https://r.example/v2/ failed with status: 502 Bad Gateway',
    );
  });
});

describe('tokenLoginFailure (a token server’s refusal, as dockerd words it)', () => {
  it('wraps UNAUTHORIZED and DENIED as Go’s url.Error around distribution’s errcode', () => {
    const refused = new DomainError('UNAUTHORIZED', 'incorrect username or password');
    expect((tokenLoginFailure('http://127.0.0.1:5000', refused) as Error).message).toBe(
      'Get "http://127.0.0.1:5000/v2/": unauthorized: incorrect username or password',
    );
    const prefixed = new DomainError('DENIED', 'denied: no');
    expect((tokenLoginFailure('https://r.example', prefixed) as Error).message).toBe(
      'Get "https://r.example/v2/": denied: no',
    );
  });

  it('passes other errors on untouched', () => {
    const down = new DomainError('UNAVAILABLE', 'connection refused');
    expect(tokenLoginFailure('http://x', down)).toBe(down);
  });
});
