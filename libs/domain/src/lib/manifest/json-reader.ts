import { DomainError } from '../errors/domain-error';
import { Digest } from '../digest/digest';

/** JsonObject is a parsed JSON object whose fields are not yet trusted. */
export type JsonObject = { readonly [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JsonReader reads typed fields out of an untrusted JSON object; every failure is INVALID_ARGUMENT
 * `invalid <what>: <path> must be <expectation>`. JSON `null` counts as absent, as in Go.
 */
export class JsonReader {
  private constructor(
    readonly raw: JsonObject,
    private readonly what: string,
    private readonly path: string,
  ) {}

  /** JsonReader.root wraps a document that must be a JSON object. */
  static root(value: unknown, what: string): JsonReader {
    if (!isObject(value)) throw DomainError.invalidArgument(`invalid ${what}: not a JSON object`);
    return new JsonReader(value, what, '');
  }

  /** JsonReader.at wraps a nested value that must be an object, naming it by `path` in errors. */
  static at(value: unknown, what: string, path: string): JsonReader {
    if (!isObject(value))
      throw DomainError.invalidArgument(`invalid ${what}: ${path} must be an object`);
    return new JsonReader(value, what, path);
  }

  /** fail builds the INVALID_ARGUMENT error for field `key`. */
  fail(key: string, expectation: string): DomainError {
    return DomainError.invalidArgument(
      `invalid ${this.what}: ${this.pathOf(key)} must be ${expectation}`,
    );
  }

  /** has tells whether `key` is present and not null. */
  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  string(key: string): string {
    const value = this.raw[key];
    if (typeof value !== 'string') throw this.fail(key, 'a string');
    return value;
  }

  optString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  optBoolean(key: string): boolean | undefined {
    const value = this.raw[key];
    if (!this.has(key)) return undefined;
    if (typeof value !== 'boolean') throw this.fail(key, 'a boolean');
    return value;
  }

  optNumber(key: string): number | undefined {
    const value = this.raw[key];
    if (!this.has(key)) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.fail(key, 'a number');
    return value;
  }

  /** size reads a byte count: a non-negative safe integer. */
  size(key: string): number {
    const value = this.raw[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw this.fail(key, 'a non-negative integer');
    }
    return value;
  }

  /** digest reads and parses a digest, keeping {@link Digest.parse}'s code (INVALID_ARGUMENT or UNSUPPORTED). */
  digest(key: string): Digest {
    return this.parseDigest(this.string(key), this.pathOf(key));
  }

  /** digests reads a required array of digests (e.g. `rootfs.diff_ids`). */
  digests(key: string): Digest[] {
    const value = this.raw[key];
    if (!Array.isArray(value)) throw this.fail(key, 'an array');
    return value.map((item, i) => {
      if (typeof item !== 'string') throw this.fail(`${key}[${i}]`, 'a string');
      return this.parseDigest(item, `${this.pathOf(key)}[${i}]`);
    });
  }

  optStringArray(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
      throw this.fail(key, 'an array of strings');
    return value as string[];
  }

  optStringMap(key: string): Record<string, string> | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw[key];
    if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
      throw this.fail(key, 'an object of strings');
    }
    return value as Record<string, string>;
  }

  /** optObjectMap reads a set-like map such as `ExposedPorts` (`{"80/tcp": {}}`); values may be null. */
  optObjectMap(key: string): Record<string, object> | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw[key];
    if (!isObject(value) || !Object.values(value).every((v) => v === null || isObject(v))) {
      throw this.fail(key, 'an object of objects');
    }
    return Object.fromEntries(Object.keys(value).map((k) => [k, {}]));
  }

  child(key: string): JsonReader {
    return JsonReader.at(this.raw[key], this.what, this.pathOf(key));
  }

  optChild(key: string): JsonReader | undefined {
    return this.has(key) ? this.child(key) : undefined;
  }

  /** items reads an array of objects (required unless `optional`), one reader per element. */
  items(key: string, optional = false): JsonReader[] {
    if (optional && !this.has(key)) return [];
    const value = this.raw[key];
    if (!Array.isArray(value)) throw this.fail(key, 'an array');
    return value.map((item, i) => JsonReader.at(item, this.what, `${this.pathOf(key)}[${i}]`));
  }

  private parseDigest(text: string, path: string): Digest {
    try {
      return Digest.parse(text);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new DomainError(error.code, `invalid ${this.what}: ${path}: ${error.message}`, {
        digest: text,
      });
    }
  }

  private pathOf(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
}

/** decodeJson decodes UTF-8 bytes and parses them as JSON; throws INVALID_ARGUMENT `invalid <what>: …`. */
export function decodeJson(bytes: Uint8Array, what: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw DomainError.invalidArgument(`invalid ${what}: not valid UTF-8`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw DomainError.invalidArgument(`invalid ${what}: ${(error as Error).message}`);
  }
}
