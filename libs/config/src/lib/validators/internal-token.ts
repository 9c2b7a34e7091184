import { registerDecorator } from 'class-validator';

/** The shortest token accepted: 32 characters, such as `openssl rand -base64 32` prints (44). */
export const MIN_INTERNAL_TOKEN_LENGTH = 32;

const EXPECTED =
  `must be a secret of at least ${MIN_INTERNAL_TOKEN_LENGTH} printable characters without ` +
  'spaces, the same in every process of the cluster (e.g. `openssl rand -base64 32`)';

/** internalTokenProblem returns why `value` cannot be the internal token; never repeats it. */
export function internalTokenProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) return EXPECTED;
  return value.length < MIN_INTERNAL_TOKEN_LENGTH ? EXPECTED : undefined;
}

/**
 * IsInternalToken validates STEVEDORE_INTERNAL_TOKEN, the secret the services of a cluster present
 * to each other's internal endpoints. It has no default: a cluster process refuses to start without
 * one rather than serve its internal endpoint to anyone who can reach the port.
 */
export function IsInternalToken(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInternalToken',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => internalTokenProblem(value) === undefined,
        defaultMessage: () => EXPECTED,
      },
    });
}
