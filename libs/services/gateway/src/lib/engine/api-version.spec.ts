import { apiVersionProblem, compareApiVersions, splitVersionPrefix } from './api-version';

describe('splitVersionPrefix', () => {
  it.each([
    ['/v1.50/images/json', '1.50', '/images/json'],
    ['/v1.24/version', '1.24', '/version'],
    ['/v1.50/images/127.0.0.1:5000/x/push?tag=1', '1.50', '/images/127.0.0.1:5000/x/push?tag=1'],
    ['/v1.50', '1.50', '/'],
    ['/v1.50?all=1', '1.50', '/?all=1'],
    ['/v1.99/_ping', '1.99', '/_ping'],
    ['/v2/images', '2', '/images'],
  ])('%s → version %s, path %s', (url, version, rest) => {
    expect(splitVersionPrefix(url)).toEqual({ version, url: rest });
  });

  it.each([
    '/_ping',
    '/version',
    '/images/v1.50/json',
    '/v1.50images',
    '/vx/images',
    '/v/images',
    '/v1.x/y',
  ])('leaves %s alone', (url) => expect(splitVersionPrefix(url)).toEqual({ url }));
});

describe('compareApiVersions', () => {
  it('compares numerically, part by part', () => {
    expect(compareApiVersions('1.9', '1.24')).toBeLessThan(0);
    expect(compareApiVersions('1.50', '1.5')).toBeGreaterThan(0);
    expect(compareApiVersions('1.50', '1.50.0')).toBe(0);
    expect(compareApiVersions('2', '1.51')).toBeGreaterThan(0);
  });
});

describe('apiVersionProblem', () => {
  it.each(['1.24', '1.43', '1.50', '1.51'])('serves %s', (version) =>
    expect(apiVersionProblem(version)).toBeUndefined(),
  );

  it('rejects a newer version the way the Docker daemon does', () => {
    expect(apiVersionProblem('1.99')).toBe(
      'client version 1.99 is too new. Maximum supported API version is 1.51',
    );
    expect(apiVersionProblem('1.52')).toMatch(/^client version 1.52 is too new/);
  });

  it('rejects an older version the way the Docker daemon does', () => {
    expect(apiVersionProblem('1.12')).toBe(
      'client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version',
    );
  });
});
