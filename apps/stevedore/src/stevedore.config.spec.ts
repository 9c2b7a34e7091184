import { ConfigError, validateConfig } from '@stevedore/config';
import { StevedoreConfig } from './stevedore.config';

function problems(env: Record<string, string>): string {
  try {
    validateConfig(StevedoreConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('StevedoreConfig (embedded topology)', () => {
  it('listens where the docker CLI looks by default and logs at info', () => {
    expect({ ...validateConfig(StevedoreConfig, {}) }).toEqual({
      STEVEDORE_LISTEN: '127.0.0.1:2375',
      STEVEDORE_LOG_LEVEL: 'info',
      STEVEDORE_REGISTRY_LISTEN: '127.0.0.1:5000',
    });
  });

  it('reads its variables and ignores the rest of the environment', () => {
    const env = {
      STEVEDORE_LISTEN: '0.0.0.0:2376',
      STEVEDORE_DATA_ROOT: '/var/lib/stevedore',
      STEVEDORE_CONFIG: '/etc/stevedore/daemon.json',
      STEVEDORE_LOG_LEVEL: 'debug',
      HOME: '/root',
    };
    const { HOME: _home, ...expected } = env;
    expect({ ...validateConfig(StevedoreConfig, env) }).toEqual({
      ...expected,
      STEVEDORE_REGISTRY_LISTEN: '127.0.0.1:5000',
    });
  });

  it('serves /v2/ where asked, or nowhere with off, and refuses a malformed address', () => {
    const off = validateConfig(StevedoreConfig, { STEVEDORE_REGISTRY_LISTEN: 'off' });
    expect(off.STEVEDORE_REGISTRY_LISTEN).toBe('off');
    expect(() => validateConfig(StevedoreConfig, { STEVEDORE_REGISTRY_LISTEN: 'nowhere' })).toThrow(
      /STEVEDORE_REGISTRY_LISTEN/,
    );
  });

  it('names a bad listen address and a bad log level', () => {
    const message = problems({ STEVEDORE_LISTEN: 'everywhere', STEVEDORE_LOG_LEVEL: 'loud' });
    expect(message).toContain('STEVEDORE_LISTEN');
    expect(message).toContain(
      'STEVEDORE_LOG_LEVEL: must be one of error, warn, info, debug (got "loud")',
    );
  });
});
