import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ConfigError, ConfigProblem } from './config-error';
import { isSensitiveVariable, redactUrlCredentials } from './sensitive';

/** Environment is the shape of `process.env`. */
export type Environment = Record<string, string | undefined>;

const MAX_SHOWN_VALUE = 120;
// Keys that would reach the prototype chain through plainToInstance.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * validateConfig builds an instance of the config class `cls` from `env`: only the properties the
 * class decorates are kept (whitelist), unset or empty variables keep the class's defaults, and
 * number/boolean properties are converted strictly ("8080" → 8080, "true"/"1" → true). It throws a
 * {@link ConfigError} listing every invalid variable; secrets are never part of that message.
 */
export function validateConfig<T extends object>(cls: new () => T, env: Environment): T {
  const instance = plainToInstance(cls, convertEnvironment(cls, env), {
    exposeDefaultValues: true,
  });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: true },
  });
  if (errors.length > 0) {
    throw new ConfigError(errors.map((error) => toProblem(cls, error)));
  }
  return instance;
}

function convertEnvironment(cls: new () => object, env: Environment): Record<string, unknown> {
  const defaults: Record<string, unknown> = { ...new cls() };
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    // An empty variable (`AMQP_URL=` in an env file) means "not set": the default applies.
    if (value === undefined || value === '' || FORBIDDEN_KEYS.has(key)) continue;
    plain[key] = convertValue(propertyType(cls, key, defaults[key]), value);
  }
  return plain;
}

// The declared type when the compiler emitted it; otherwise the type of the default value, because
// `PORT = 80` (no annotation) gets no usable design:type from tsc or SWC.
function propertyType(
  cls: new () => object,
  key: string,
  defaultValue: unknown,
): 'number' | 'boolean' | 'other' {
  const designType: unknown = Reflect.getMetadata('design:type', cls.prototype, key);
  if (designType === Number || typeof defaultValue === 'number') return 'number';
  if (designType === Boolean || typeof defaultValue === 'boolean') return 'boolean';
  return 'other';
}

// Strict conversion: a value that does not convert stays a string, so the property's validator
// rejects it with a clear message instead of it silently becoming NaN or `true`.
function convertValue(type: 'number' | 'boolean' | 'other', value: string): unknown {
  if (type === 'number') {
    return /^[+-]?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  }
  if (type === 'boolean') {
    const lower = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(lower)) return true;
    if (['false', '0', 'no', 'off'].includes(lower)) return false;
  }
  return value;
}

function toProblem(cls: new () => object, error: ValidationError): ConfigProblem {
  const variable = error.property;
  if (error.value === undefined) {
    return { variable, reason: 'is required but not set' };
  }
  // Decorators apply bottom-up, so constraints arrive in reverse source order; reverse them back.
  const reasons = Object.values(error.constraints ?? {})
    .reverse()
    .map((message) => stripSubject(message, variable));
  return {
    variable,
    reason: `${reasons.join('; ')} (got ${describeValue(cls, variable, error.value)})`,
  };
}

// class-validator's built-in messages start with the property name ("X must be a string"); the
// problem line already starts with it.
function stripSubject(message: string, variable: string): string {
  return message.startsWith(`${variable} `) ? message.slice(variable.length + 1) : message;
}

function describeValue(cls: new () => object, variable: string, value: unknown): string {
  if (isSensitiveVariable(cls, variable)) return 'a value that is not shown because it is secret';
  const text = redactUrlCredentials(String(value));
  const shown = text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}…` : text;
  return typeof value === 'string' ? JSON.stringify(shown) : shown;
}
