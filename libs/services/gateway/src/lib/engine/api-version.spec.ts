import {
  apiBefore,
  apiVersionProblem,
  jsonErrors,
  compareApiVersions,
  resolveMinApiVersion,
  splitVersionPrefix,
} from './api-version';

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
  it.each(['1.22', '1.24', '1.43', '1.50', '1.51'])('serves %s', (version) =>
    expect(apiVersionProblem(version)).toBeUndefined(),
  );

  it('rejects a newer version the way the Docker daemon does', () => {
    expect(apiVersionProblem('1.99')).toBe(
      'client version 1.99 is too new. Maximum supported API version is 1.51',
    );
    expect(apiVersionProblem('1.52')).toMatch(/^client version 1.52 is too new/);
  });

  it('rejects an older version the way the Docker daemon does', () => {
    expect(apiVersionProblem('1.21')).toBe(
      'client version 1.21 is too old. Minimum supported API version is 1.22, please upgrade your client to a newer version',
    );
  });

  it('uses the floor it is given', () => {
    expect(apiVersionProblem('1.39', '1.40')).toMatch(
      /^client version 1.39 is too old. Minimum supported API version is 1.40,/,
    );
    expect(apiVersionProblem('1.12', '1.12')).toBeUndefined();
  });
});

describe('resolveMinApiVersion', () => {
  it('is 1.22 unless set, and DOCKER_MIN_API_VERSION wins over min-api-version', () => {
    expect(resolveMinApiVersion()).toBe('1.22');
    expect(resolveMinApiVersion(undefined, '1.40')).toBe('1.40');
    expect(resolveMinApiVersion('1.24', '1.40')).toBe('1.24');
    expect(resolveMinApiVersion('', '1.40')).toBe('1.40');
  });

  it('refuses a floor outside 1.12 to 1.50, naming where it came from', () => {
    expect(() => resolveMinApiVersion('1.11')).toThrow(
      'invalid DOCKER_MIN_API_VERSION 1.11: must be an API version from 1.12 to 1.50',
    );
    expect(() => resolveMinApiVersion(undefined, '1.51')).toThrow(/^invalid min-api-version 1.51/);
  });
});

describe('apiBefore', () => {
  it('compares a request version with the version an image answer changed at', () => {
    expect(apiBefore('1.40', 'legacyListFilter')).toBe(true);
    expect(apiBefore('1.41', 'legacyListFilter')).toBe(false);
    expect(apiBefore('1.49', 'inspectImageConfigOnly')).toBe(true);
    expect(apiBefore('1.50', 'inspectImageConfigOnly')).toBe(false);
  });
});

describe('jsonErrors', () => {
  it('is plain text up to 1.23, JSON from 1.24 (moby)', () => {
    expect(jsonErrors('1.22')).toBe(false);
    expect(jsonErrors('1.23')).toBe(false);
    expect(jsonErrors('1.24')).toBe(true);
  });
});
