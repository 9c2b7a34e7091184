import { IsString } from 'class-validator';
import { EX_CONFIG, loadConfigOrExit } from './load-config';
import { IsAmqpUrl } from './validators/amqp-url';

class BrokerConfig {
  @IsAmqpUrl()
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @IsString()
  NODE_NAME!: string;
}

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function run(env: Record<string, string>): {
  stderr: string;
  code?: number;
  config?: BrokerConfig;
} {
  let stderr = '';
  const options = {
    env,
    stderr: { write: (text: string) => (stderr += text) },
    exit: (code: number): never => {
      throw new ExitCalled(code);
    },
  };
  try {
    return { stderr, config: loadConfigOrExit(BrokerConfig, 'fetcher', options) };
  } catch (error) {
    if (error instanceof ExitCalled) return { stderr, code: error.code };
    throw error;
  }
}

describe('loadConfigOrExit', () => {
  it('returns the config when the environment is valid', () => {
    const result = run({ NODE_NAME: 'n1' });
    expect(result.config).toMatchObject({
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      NODE_NAME: 'n1',
    });
    expect(result.stderr).toBe('');
  });

  it('prints one line per problem under the app name and exits with EX_CONFIG', () => {
    const result = run({ AMQP_URL: 'http://admin:hunter2@x' });
    expect(result.code).toBe(EX_CONFIG);
    expect(EX_CONFIG).toBe(78);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('fetcher: invalid configuration:');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        /^ {2}AMQP_URL: must use the amqp:\/\/ or amqps:\/\/ scheme, not http:\/\/ \(got "http:\/\/admin:\*\*\*@x"\)$/,
      ),
      '  NODE_NAME: is required but not set',
    ]);
    expect(result.stderr).not.toContain('hunter2');
  });
});
