import { ValidationOptions, registerDecorator } from 'class-validator';

const DIGEST_RE = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** IsDigest accepts the digests the store supports: `sha256:<64 hex>` and `sha512:<128 hex>`. */
export function IsDigest(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDigest',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${options?.each ? 'each value in ' : ''}${String(propertyName)} must be a sha256 or sha512 digest`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && DIGEST_RE.test(value),
      },
    });
}
