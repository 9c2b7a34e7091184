import { ConfigError } from './config-error';
import { parseDaemonConfig } from './daemon-config';

describe('parseDaemonConfig: registry-auth', () => {
  it('leaves it unset by default (loopback-only anonymous access)', () => {
    expect(parseDaemonConfig({}).registryAuth).toBeUndefined();
  });

  it('reads "none" as the explicit choice of an open registry', () => {
    expect(parseDaemonConfig({ 'registry-auth': 'none' }).registryAuth).toEqual({ mode: 'none' });
  });

  it('reads an htpasswd file as Basic auth, anonymous pull from loopback by default', () => {
    expect(parseDaemonConfig({ 'registry-auth': { htpasswd: '/h' } }).registryAuth).toEqual({
      mode: 'basic',
      htpasswd: '/h',
      realm: 'Stevedore Registry',
      anonymousPull: 'loopback',
    });
  });

  it('reads a token section as the token flow, with defaults for issuer, service and expiry', () => {
    const config = parseDaemonConfig({
      'registry-auth': { htpasswd: '/h', 'anonymous-pull': 'none', token: { 'signing-key': '/k' } },
    });
    expect(config.registryAuth).toEqual({
      mode: 'token',
      htpasswd: '/h',
      realm: 'Stevedore Registry',
      anonymousPull: 'none',
      token: {
        signingKey: '/k',
        issuer: 'stevedore',
        service: 'stevedore-registry',
        expirySeconds: 300,
      },
    });
  });

  it('names every bad key at once', () => {
    const bad = () =>
      parseDaemonConfig({
        'registry-auth': { 'anonymous-pull': 'maybe', token: { 'expiry-seconds': 5 } },
      });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/registry-auth htpasswd: must be a non-empty string/);
    expect(bad).toThrow(/registry-auth anonymous-pull: must be loopback, all or none/);
    expect(bad).toThrow(/registry-auth token signing-key: must be a non-empty string/);
    expect(bad).toThrow(/registry-auth token expiry-seconds: must be a whole number/);
    expect(() => parseDaemonConfig({ 'registry-auth': 'open' })).toThrow(/must be "none"/);
  });
});

describe('parseDaemonConfig: registry-proxy', () => {
  it('is off by default, on with defaults for true, and reads its keys', () => {
    expect(parseDaemonConfig({}).registryProxy).toBeUndefined();
    expect(parseDaemonConfig({ 'registry-proxy': true }).registryProxy).toEqual({
      tagRevalidateSeconds: 300,
      missesPerMinute: 600,
      missBurst: 200,
      blobWaitSeconds: 30,
    });
    const config = parseDaemonConfig({
      'registry-proxy': { 'tag-revalidate-seconds': 0, 'misses-per-minute': 5 },
    });
    expect(config.registryProxy).toMatchObject({ tagRevalidateSeconds: 0, missesPerMinute: 5 });
    expect(() => parseDaemonConfig({ 'registry-proxy': { 'miss-burst': 0 } })).toThrow(
      /registry-proxy miss-burst: must be a whole number from 1/,
    );
  });
});
