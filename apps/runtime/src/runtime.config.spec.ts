import { ConfigError, validateConfig } from '@stevedore/config';
import { RuntimeConfig } from './runtime.config';

const TOKEN = 'spec-internal-token-0123456789abcdef0123';
const WITH_TOKEN = { STEVEDORE_INTERNAL_TOKEN: TOKEN };

function problems(env: Record<string, string>): string {
  try {
    validateConfig(RuntimeConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('RuntimeConfig', () => {
  it('defaults to the local broker, the runtime port 2382 and info logging', () => {
    expect({ ...validateConfig(RuntimeConfig, WITH_TOKEN) }).toEqual({
      STEVEDORE_INTERNAL_TOKEN: TOKEN,
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      STEVEDORE_LOG_LEVEL: 'info',
      STEVEDORE_BUS_NAMESPACE: 'stevedore',
      STEVEDORE_BLOBSTORE_URL: 'http://127.0.0.1:2380',
      STEVEDORE_DATA_ROOT: './.stevedore',
      STEVEDORE_INTERNAL_LISTEN: '127.0.0.1:2382',
    });
  });

  it('reads its variables and ignores the rest of the environment', () => {
    const env = {
      STEVEDORE_INTERNAL_TOKEN: TOKEN,
      AMQP_URL: 'amqps://svc:pw@broker.internal',
      STEVEDORE_LOG_LEVEL: 'debug',
      PATH: '/bin',
      STEVEDORE_BUS_NAMESPACE: 'ci-42',
      STEVEDORE_BLOBSTORE_URL: 'http://blobstore.internal:2380',
      STEVEDORE_DATA_ROOT: '/var/lib/stevedore',
      STEVEDORE_INTERNAL_LISTEN: '0.0.0.0:2382',
    };
    const { PATH: _path, ...expected } = env;
    expect({ ...validateConfig(RuntimeConfig, env) }).toEqual(expected);
  });

  it('names each bad variable without echoing the broker password', () => {
    const message = problems({
      ...WITH_TOKEN,
      AMQP_URL: 'http://svc:hunter2@broker',
      STEVEDORE_LOG_LEVEL: 'chatty',
    });
    expect(message).toContain('AMQP_URL: must use the amqp:// or amqps:// scheme, not http://');
    expect(message).toContain(
      'STEVEDORE_LOG_LEVEL: must be one of error, warn, info, debug (got "chatty")',
    );
    expect(message).not.toContain('hunter2');
  });

  it('refuses to start without the internal token, or with a weak one, and never shows it', () => {
    expect(problems({})).toContain('STEVEDORE_INTERNAL_TOKEN: is required but not set');
    const weak = problems({ STEVEDORE_INTERNAL_TOKEN: 'hunter2-short' });
    expect(weak).toContain('STEVEDORE_INTERNAL_TOKEN: must be a secret of at least 32');
    expect(weak).not.toContain('hunter2');
  });
});
