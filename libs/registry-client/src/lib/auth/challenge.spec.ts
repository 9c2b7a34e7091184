import { challengeScopes, parseChallenges, preferredChallenge } from './challenge';
import { must } from '../../test/must';

describe('parseChallenges (T9)', () => {
  it.each([
    {
      row: 'Docker Hub style, comma inside a quoted scope',
      header:
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:samalba/my-app:pull,push',
      },
      scopes: ['repository:samalba/my-app:pull,push'],
    },
    {
      row: 'spaces after commas, two scopes',
      header:
        'Bearer realm="https://a.example/token", service="reg", scope="repository:a:pull repository:b:pull"',
      scheme: 'bearer',
      params: {
        realm: 'https://a.example/token',
        service: 'reg',
        scope: 'repository:a:pull repository:b:pull',
      },
      scopes: ['repository:a:pull', 'repository:b:pull'],
    },
    {
      row: 'lower-case scheme, capitalised keys, unquoted token value',
      header: 'bearer Realm="https://a.example/token",Service=reg',
      scheme: 'bearer',
      params: { realm: 'https://a.example/token', service: 'reg' },
      scopes: [],
    },
    {
      row: 'invalid_token error',
      header: 'Bearer realm="https://a.example/t",error="invalid_token"',
      scheme: 'bearer',
      params: { realm: 'https://a.example/t', error: 'invalid_token' },
      scopes: [],
    },
    {
      row: 'basic',
      header: 'Basic realm="Registry Realm"',
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
      scopes: [],
    },
    {
      row: 'escaped quote',
      header: 'Bearer realm="x\\"y"',
      scheme: 'bearer',
      params: { realm: 'x"y' },
      scopes: [],
    },
  ])('$row', ({ header, scheme, params, scopes }) => {
    const [challenge, ...rest] = parseChallenges(header);
    expect(rest).toEqual([]);
    expect(challenge).toEqual({ scheme, params });
    expect(challengeScopes(must(challenge, 'challenge'))).toEqual(scopes);
  });

  it('prefers Bearer over Basic when two header lines offer both', () => {
    const challenges = parseChallenges(['Basic realm="r"', 'Bearer realm="t",service="s"']);
    expect(challenges.map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(preferredChallenge(challenges)).toEqual({
      scheme: 'bearer',
      params: { realm: 't', service: 's' },
    });
  });

  it('splits several challenges written on one line', () => {
    const challenges = parseChallenges('Basic realm="r, with comma", Bearer realm="t",service="s"');
    expect(challenges).toEqual([
      { scheme: 'basic', params: { realm: 'r, with comma' } },
      { scheme: 'bearer', params: { realm: 't', service: 's' } },
    ]);
  });

  it('keeps what was parsed before a malformed remainder', () => {
    expect(parseChallenges('Bearer realm="https://a/t",service="unterminated')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://a/t' } },
    ]);
  });

  it('returns nothing for an absent header and no preference among unknown schemes', () => {
    expect(parseChallenges(undefined)).toEqual([]);
    expect(preferredChallenge(parseChallenges('Negotiate'))).toBeUndefined();
  });
});
