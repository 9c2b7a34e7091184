import { loginFailure } from './client';

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
