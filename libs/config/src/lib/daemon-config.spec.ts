import { ConfigError } from './config-error';
import { ingestLimitsOf, maxUpstreamBackoffMs, parseDaemonConfig } from './daemon-config';

describe('parseDaemonConfig: how much of interrupted downloads is kept', () => {
  it('keeps a day and 10 GiB by default', () => {
    expect(ingestLimitsOf(parseDaemonConfig({}))).toEqual({
      maxAgeMs: 24 * 3_600_000,
      maxBytes: 10 * 1024 ** 3,
    });
  });

  it('reads ingest-max-age-hours (fractions too) and ingest-max-bytes', () => {
    const config = parseDaemonConfig({ 'ingest-max-age-hours': 0.5, 'ingest-max-bytes': 1048576 });
    expect(ingestLimitsOf(config)).toEqual({ maxAgeMs: 1_800_000, maxBytes: 1048576 });
    expect(ingestLimitsOf(parseDaemonConfig({ 'ingest-max-bytes': 0 })).maxBytes).toBe(0);
  });

  it('refuses negative, fractional byte counts and non-numbers, naming each key', () => {
    const bad = () => parseDaemonConfig({ 'ingest-max-age-hours': -1, 'ingest-max-bytes': 1.5 });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/ingest-max-age-hours: must be a number of at least 0/);
    expect(bad).toThrow(/ingest-max-bytes: must be a whole number of at least 0/);
    expect(() => parseDaemonConfig({ 'ingest-max-bytes': '10G' })).toThrow(/ingest-max-bytes/);
  });
});

describe('parseDaemonConfig', () => {
  it('reads max-upstream-backoff-seconds, a minute when absent', () => {
    const config = parseDaemonConfig({ 'max-upstream-backoff-seconds': 2 });
    expect(config.maxUpstreamBackoffSeconds).toBe(2);
    expect(maxUpstreamBackoffMs(config)).toBe(2_000);
    expect(maxUpstreamBackoffMs(parseDaemonConfig({}))).toBe(60_000);
  });

  it.each([-1, 601, 1.5, '60'])('refuses max-upstream-backoff-seconds %p', (value) => {
    expect(() => parseDaemonConfig({ 'max-upstream-backoff-seconds': value })).toThrow(ConfigError);
    expect(() => parseDaemonConfig({ 'max-upstream-backoff-seconds': value })).toThrow(
      /max-upstream-backoff-seconds.*whole number from 0 to 600/,
    );
  });

  it('keeps max-concurrent-downloads within 1 to 1000', () => {
    expect(parseDaemonConfig({ 'max-concurrent-downloads': 3 }).maxConcurrentDownloads).toBe(3);
    expect(() => parseDaemonConfig({ 'max-concurrent-downloads': 0 })).toThrow(
      /whole number from 1 to 1000/,
    );
  });

  it('reads min-api-version as an X.Y string and refuses anything else', () => {
    expect(parseDaemonConfig({ 'min-api-version': '1.40' }).minApiVersion).toBe('1.40');
    expect(parseDaemonConfig({}).minApiVersion).toBeUndefined();
    for (const value of [1.4, 'v1.40', '1', ''])
      expect(() => parseDaemonConfig({ 'min-api-version': value })).toThrow(
        /min-api-version: must be an API version/,
      );
  });
});
