import { registerDecorator, ValidationOptions } from 'class-validator';

/** parseUrlList splits a service endpoint variable: one URL, or several replicas' URLs separated by commas. */
export function parseUrlList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** IsUrlList validates a list of http(s) endpoints (see {@link parseUrlList}); `example` goes in the message. */
export function IsUrlList(example: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isUrlList',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `must be one or more http(s) URLs separated by commas, such as ${example}`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          parseUrlList(value).length > 0 &&
          parseUrlList(value).every(isHttpUrl),
      },
    });
}
