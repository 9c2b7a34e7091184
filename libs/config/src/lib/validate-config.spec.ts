import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { ConfigError } from './config-error';
import { Sensitive } from './sensitive';
import { validateConfig } from './validate-config';
import { IsAmqpUrl } from './validators/amqp-url';
import { IsListenAddress } from './validators/listen-address';
import { IsLogLevel, LogLevel } from './log-level';

class ExampleConfig {
  @IsListenAddress()
  LISTEN = '127.0.0.1:2375';

  @IsAmqpUrl()
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @IsLogLevel()
  LOG_LEVEL: LogLevel = 'info';

  @IsInt()
  @Min(1)
  @Max(64)
  WORKERS = 4;

  @IsBoolean()
  VERIFY = true;

  @IsString()
  REQUIRED_NAME!: string;

  @Sensitive()
  @IsOptional()
  @MinLength(64)
  OPAQUE?: string;

  @IsOptional()
  @MinLength(12)
  REGISTRY_PASSWORD?: string;
}

function problemsOf(env: Record<string, string | undefined>): Map<string, string> {
  try {
    validateConfig(ExampleConfig, env);
  } catch (error) {
    if (error instanceof ConfigError)
      return new Map(error.problems.map((p) => [p.variable, p.reason]));
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('keeps defaults for unset and empty variables and converts numbers and booleans strictly', () => {
    const config = validateConfig(ExampleConfig, {
      REQUIRED_NAME: 'x',
      LISTEN: '',
      WORKERS: '16',
      VERIFY: 'false',
      REGISTRY_PASSWORD: 'correct-horse-battery',
    });
    expect(config).toBeInstanceOf(ExampleConfig);
    expect(config).toMatchObject({
      LISTEN: '127.0.0.1:2375',
      WORKERS: 16,
      VERIFY: false,
      LOG_LEVEL: 'info',
    });
  });

  it('drops every variable the class does not declare', () => {
    const config = validateConfig(ExampleConfig, {
      REQUIRED_NAME: 'x',
      PATH: '/usr/bin',
      HOME: '/root',
    });
    expect(Object.keys(config)).not.toContain('PATH');
    expect(Object.keys(config)).not.toContain('HOME');
  });

  it('reports every bad variable at once, each with a reason', () => {
    const problems = problemsOf({
      LISTEN: 'nonsense',
      AMQP_URL: 'http://broker:5672',
      LOG_LEVEL: 'loud',
      WORKERS: 'many',
      VERIFY: 'maybe',
    });
    expect([...problems.keys()].sort()).toEqual([
      'AMQP_URL',
      'LISTEN',
      'LOG_LEVEL',
      'REQUIRED_NAME',
      'VERIFY',
      'WORKERS',
    ]);
    expect(problems.get('LISTEN')).toBe(
      'must be host:port (e.g. 127.0.0.1:2375 or [::1]:2375): the ":port" part is missing (got "nonsense")',
    );
    expect(problems.get('AMQP_URL')).toContain(
      'must use the amqp:// or amqps:// scheme, not http:// (got "http://broker:5672")',
    );
    expect(problems.get('LOG_LEVEL')).toBe('must be one of error, warn, info, debug (got "loud")');
    expect(problems.get('WORKERS')).toBe(
      'must be an integer number; must not be less than 1; must not be greater than 64 (got "many")',
    );
    expect(problems.get('VERIFY')).toMatch(/^must be a boolean value \(got "maybe"\)$/);
    expect(problems.get('REQUIRED_NAME')).toBe('is required but not set');
  });

  it('rejects a number outside its range, showing the converted value', () => {
    expect(problemsOf({ REQUIRED_NAME: 'x', WORKERS: '100' }).get('WORKERS')).toBe(
      'must not be greater than 64 (got 100)',
    );
  });

  it('never shows URL passwords or the values of sensitive variables', () => {
    const problems = problemsOf({
      AMQP_URL: 'http://admin:hunter2@broker:5672',
      OPAQUE: 'opaque-secret',
      REGISTRY_PASSWORD: 'hunter3',
    });
    const everything = [...problems.values()].join('\n');
    expect(problems.get('AMQP_URL')).toContain('(got "http://admin:***@broker:5672")');
    expect(problems.get('OPAQUE')).toBe(
      'must be longer than or equal to 64 characters (got a value that is not shown because it is secret)',
    );
    expect(problems.get('REGISTRY_PASSWORD')).toContain('not shown because it is secret');
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain('opaque-secret');
    expect(everything).not.toContain('hunter3');
  });

  it('puts every problem in the error message', () => {
    expect(() => validateConfig(ExampleConfig, { LISTEN: 'nonsense' })).toThrow(
      /^invalid configuration:\n(.*\n)*LISTEN: .*\n(.*\n)*REQUIRED_NAME: is required but not set/,
    );
  });
});
