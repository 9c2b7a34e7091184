import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { DomainError } from '@stevedore/domain';

/** A body DTO may name the Go type the daemon decodes that body into, for its error messages. */
export interface GoTyped {
  readonly goType?: string;
}

/** goKind names a JSON value the way Go's encoding/json does in `cannot unmarshal <kind>`. */
function goKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/**
 * EngineValidationPipe validates request DTOs (unknown fields refused), and first refuses a JSON
 * body that is not an object in the daemon's words: `invalid JSON: json: cannot unmarshal array
 * into Go value of type registry.AuthConfig`, a 400 rather than a list of class-validator complaints.
 */
@Injectable()
export class EngineValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { type, metatype } = metadata;
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (type === 'body' && metatype && metatype !== Object && value !== undefined && !isObject) {
      const goType = (metatype as GoTyped).goType ?? metatype.name;
      throw DomainError.invalidArgument(
        `invalid JSON: json: cannot unmarshal ${goKind(value)} into Go value of type ${goType}`,
      );
    }
    return super.transform(value, metadata);
  }
}
