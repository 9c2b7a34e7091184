import { buildTokenGet, buildTokenPost } from './token-fetch';
import { parseTokenResponse } from './token-response';
import { must } from '../../test/must';

const challenge = {
  realm: 'https://auth.example.com/token',
  service: 'registry.example.com',
  clientId: 'stevedore',
};
const scopes = ['repository:team/app:pull,push', 'repository:base/img:pull'];

describe('token requests (T10)', () => {
  it('builds the GET form with one scope parameter per scope, account and Basic credentials', () => {
    const req = buildTokenGet({
      ...challenge,
      scopes,
      credentials: { username: 'u', password: 'p' },
    });
    expect(req.method).toBe('GET');
    expect(req.headers).toEqual({ authorization: 'Basic dTpw' });
    const { origin, pathname, searchParams } = req.url;
    expect(`${origin}${pathname}`).toBe('https://auth.example.com/token');
    expect(searchParams.get('service')).toBe('registry.example.com');
    expect(searchParams.getAll('scope')).toEqual(scopes);
    expect(searchParams.get('account')).toBe('u');
    expect(req.url.search).toContain(
      'scope=repository%3Ateam%2Fapp%3Apull%2Cpush&scope=repository%3Abase%2Fimg%3Apull',
    );
  });

  it('sends an anonymous GET without account or Authorization', () => {
    const req = buildTokenGet({ ...challenge, scopes: [must(scopes[1], 'scope')] });
    expect(req.headers).toEqual({});
    expect(req.url.searchParams.has('account')).toBe(false);
  });

  it('builds the OAuth2 refresh-token POST with space-joined scopes', () => {
    const req = buildTokenPost({ ...challenge, scopes }, 'rt');
    expect(req.method).toBe('POST');
    expect(req.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    const form = new URLSearchParams(req.body as string);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt',
      service: 'registry.example.com',
      client_id: 'stevedore',
      scope: 'repository:team/app:pull,push repository:base/img:pull',
    });
    expect(req.body).toContain(
      'scope=repository%3Ateam%2Fapp%3Apull%2Cpush+repository%3Abase%2Fimg%3Apull',
    );
  });

  it('rejects a realm that is not an http(s) URL', () => {
    expect(() => buildTokenGet({ ...challenge, realm: 'file:///etc/passwd', scopes })).toThrow(
      /invalid token realm/,
    );
  });
});

describe('parseTokenResponse (T10)', () => {
  const received = new Date('2030-01-01T00:00:00Z');
  it.each([
    {
      body: { token: 'T', expires_in: 3600, issued_at: '2009-11-10T23:00:00Z' },
      token: 'T',
      expires: '2009-11-11T00:00:00.000Z',
    },
    { body: { access_token: 'A' }, token: 'A', expires: '2030-01-01T00:01:00.000Z' },
    { body: { token: 'T', access_token: 'A' }, token: 'A', expires: '2030-01-01T00:01:00.000Z' },
    { body: { token: 'T', expires_in: 10 }, token: 'T', expires: '2030-01-01T00:01:00.000Z' },
  ])('$body → $token until $expires', ({ body, token, expires }) => {
    const grant = parseTokenResponse(body, received);
    expect(grant.token).toBe(token);
    expect(grant.expiresAt.toISOString()).toBe(expires);
  });

  it('keeps a refresh token', () => {
    expect(
      parseTokenResponse({ access_token: 'A', refresh_token: 'R' }, received).refreshToken,
    ).toBe('R');
  });

  it('fails on {} with "no token in response"', () => {
    expect(() => parseTokenResponse({}, received)).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED', message: 'no token in response' }),
    );
  });
});
