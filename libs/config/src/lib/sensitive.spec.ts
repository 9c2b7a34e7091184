import { IsString } from 'class-validator';
import { isSensitiveVariable, redactUrlCredentials, Sensitive } from './sensitive';

class Marked {
  @Sensitive()
  @IsString()
  SIGNING_MATERIAL = '';

  @IsString()
  REGISTRY_HOST = '';
}

describe('isSensitiveVariable', () => {
  it('honours the @Sensitive() marker', () => {
    expect(isSensitiveVariable(Marked, 'SIGNING_MATERIAL')).toBe(true);
    expect(isSensitiveVariable(Marked, 'REGISTRY_HOST')).toBe(false);
  });

  it.each([
    'REGISTRY_PASSWORD',
    'GITHUB_TOKEN',
    'JWT_SECRET',
    'S3_API_KEY',
    'TLS_PRIVATE_KEY',
    'PASSWORD',
  ])('treats %s as secret by its name', (name) =>
    expect(isSensitiveVariable(Marked, name)).toBe(true),
  );

  it.each(['TOKEN_TTL_SECONDS', 'PASSWORDLESS', 'AMQP_URL', 'KEYBOARD'])(
    'does not treat %s as secret',
    (name) => expect(isSensitiveVariable(Marked, name)).toBe(false),
  );
});

describe('redactUrlCredentials', () => {
  it.each([
    ['amqp://guest:guest@127.0.0.1:5672', 'amqp://guest:***@127.0.0.1:5672'],
    ['amqps://user:p%40ss@broker/vhost', 'amqps://user:***@broker/vhost'],
    ['amqp://user:pa/ss@word@broker', 'amqp://user:***@broker'],
    ['amqp://only-a-token@broker', 'amqp://***@broker'],
    ['guest:secret@broker:5672', 'guest:***@broker:5672'],
    ['amqp://127.0.0.1:5672', 'amqp://127.0.0.1:5672'],
    ['nonsense', 'nonsense'],
  ])('%s → %s', (input, expected) => expect(redactUrlCredentials(input)).toBe(expected));
});
