import { registerDecorator, ValidationOptions } from 'class-validator';

const EXPECTED =
  'must be one or more http(s) URLs separated by commas, such as http://127.0.0.1:2380';

/** parseBlobstoreUrls splits `STEVEDORE_BLOBSTORE_URL` (one URL, or several blobstore replicas separated by commas). */
export function parseBlobstoreUrls(value: string): string[] {
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

/** IsBlobstoreUrls validates a list of blobstore endpoints (see {@link parseBlobstoreUrls}). */
export function IsBlobstoreUrls(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBlobstoreUrls',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: EXPECTED, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          parseBlobstoreUrls(value).length > 0 &&
          parseBlobstoreUrls(value).every(isHttpUrl),
      },
    });
}
