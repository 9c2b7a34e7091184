import { ConfigError } from './config-error';
import { maxUpstreamBackoffMs, parseDaemonConfig } from './daemon-config';

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
});
