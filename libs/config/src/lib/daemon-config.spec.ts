import { ConfigError } from './config-error';
import { ingestLimitsOf, parseDaemonConfig } from './daemon-config';

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
