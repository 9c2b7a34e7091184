import { IsOptional, Matches } from 'class-validator';

/** API_VERSION_PATTERN is an Engine API version as dockerd's settings take it: `X.Y`. */
export const API_VERSION_PATTERN = /^[0-9]+\.[0-9]+$/;

/** API_VERSION_PROBLEM is what a config problem says about a value that is not one. */
export const API_VERSION_PROBLEM = 'must be an API version such as "1.24"';

/**
 * IsOptionalApiVersion validates an optional variable holding an Engine API version (`X.Y`), such
 * as DOCKER_MIN_API_VERSION; the range is the gateway's to check.
 */
export function IsOptionalApiVersion(): PropertyDecorator {
  return (target, propertyName) => {
    IsOptional()(target, propertyName);
    Matches(API_VERSION_PATTERN, { message: API_VERSION_PROBLEM })(target, propertyName);
  };
}
