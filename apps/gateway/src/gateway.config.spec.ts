import { ConfigError, parseListenAddress, validateConfig } from '@stevedore/config';
import { GatewayConfig } from './gateway.config';

const TOKEN = 'spec-internal-token-0123456789abcdef0123';
const WITH_TOKEN = { STEVEDORE_INTERNAL_TOKEN: TOKEN };

function problems(env: Record<string, string>): string {
  try {
    validateConfig(GatewayConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('GatewayConfig', () => {
  it("listens on Docker's loopback port with info logging by default", () => {
    const config = validateConfig(GatewayConfig, WITH_TOKEN);
    expect({ ...config }).toEqual({
      STEVEDORE_INTERNAL_TOKEN: TOKEN,
      STEVEDORE_LISTEN: '127.0.0.1:2375',
      STEVEDORE_LOG_LEVEL: 'info',
      STEVEDORE_BUS_NAMESPACE: 'stevedore',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      STEVEDORE_EXPORTER_URL: 'http://127.0.0.1:2381',
      STEVEDORE_RUNTIME_URL: 'http://127.0.0.1:2382',
      STEVEDORE_BLOBSTORE_URL: 'http://127.0.0.1:2380',
      STEVEDORE_REGISTRY_LISTEN: '127.0.0.1:5000',
    });
    expect(parseListenAddress(config.STEVEDORE_LISTEN)).toEqual({ host: '127.0.0.1', port: 2375 });
  });

  it('accepts an IPv6 listen address and a free-port request', () => {
    expect(
      validateConfig(GatewayConfig, { ...WITH_TOKEN, STEVEDORE_LISTEN: '[::1]:0' })
        .STEVEDORE_LISTEN,
    ).toBe('[::1]:0');
  });

  it('takes one exporter or several, and refuses what is not a URL list', () => {
    const urls = 'http://exporter-1:2381, http://exporter-2:2381';
    expect(
      validateConfig(GatewayConfig, { ...WITH_TOKEN, STEVEDORE_EXPORTER_URL: urls })
        .STEVEDORE_EXPORTER_URL,
    ).toBe(urls);
    expect(problems({ ...WITH_TOKEN, STEVEDORE_EXPORTER_URL: 'exporter:2381' })).toContain(
      'STEVEDORE_EXPORTER_URL: must be one or more http(s) URLs separated by commas, such as http://127.0.0.1:2381',
    );
  });

  it('takes the runtime of each host, and refuses what is not a URL list', () => {
    const urls = 'http://node-a:2382,http://node-b:2382';
    expect(
      validateConfig(GatewayConfig, { ...WITH_TOKEN, STEVEDORE_RUNTIME_URL: urls })
        .STEVEDORE_RUNTIME_URL,
    ).toBe(urls);
    expect(problems({ ...WITH_TOKEN, STEVEDORE_RUNTIME_URL: 'node-a' })).toContain(
      'STEVEDORE_RUNTIME_URL: must be one or more http(s) URLs separated by commas, such as http://127.0.0.1:2382',
    );
  });

  it('names each bad variable with the reason', () => {
    const message = problems({
      ...WITH_TOKEN,
      STEVEDORE_LISTEN: 'nonsense',
      STEVEDORE_LOG_LEVEL: 'trace',
      AMQP_URL: 'x',
    });
    expect(message.split('\n')).toEqual([
      'invalid configuration:',
      'STEVEDORE_LISTEN: must be host:port (e.g. 127.0.0.1:2375 or [::1]:2375): the ":port" part is missing (got "nonsense")',
      expect.stringMatching(/^AMQP_URL: must be an amqp:\/\/ or amqps:\/\/ URL/),
      'STEVEDORE_LOG_LEVEL: must be one of error, warn, info, debug (got "trace")',
    ]);
  });

  it('refuses to start without the internal token, or with a weak one, and never shows it', () => {
    expect(problems({})).toContain('STEVEDORE_INTERNAL_TOKEN: is required but not set');
    const weak = problems({ STEVEDORE_INTERNAL_TOKEN: 'hunter2-short' });
    expect(weak).toContain('STEVEDORE_INTERNAL_TOKEN: must be a secret of at least 32');
    expect(weak).not.toContain('hunter2');
  });
});
