import { registerDecorator, ValidationOptions } from 'class-validator';

const EXPECTED = 'must be an amqp:// or amqps:// URL such as amqp://127.0.0.1:5672';

/**
 * amqpUrlProblem returns why `value` is not a RabbitMQ URL (`amqp://` or `amqps://` with a host),
 * or undefined when it is one. The reason never repeats the URL, which may hold a password.
 */
export function amqpUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${EXPECTED} (it does not parse as a URL)`;
  }
  if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') {
    return `must use the amqp:// or amqps:// scheme, not ${url.protocol}//`;
  }
  return url.hostname === '' ? 'must name the broker host, as in amqp://127.0.0.1:5672' : undefined;
}

/** IsAmqpUrl validates a config property holding a RabbitMQ URL (see {@link amqpUrlProblem}). */
export function IsAmqpUrl(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAmqpUrl',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && amqpUrlProblem(value) === undefined,
        defaultMessage: (args) =>
          typeof args?.value === 'string' ? (amqpUrlProblem(args.value) ?? EXPECTED) : EXPECTED,
      },
    });
}
