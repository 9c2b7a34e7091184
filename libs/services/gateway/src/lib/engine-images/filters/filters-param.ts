import { DomainError } from '@stevedore/domain';

/**
 * parseFiltersParam decodes the Engine API `filters` query parameter into key → values. Both shapes
 * the daemon accepts are read: the CLI's map of sets (`{"dangling":{"true":true}}`) and the
 * swagger's map of lists (`{"dangling":["true"]}`). Absent or empty means no filters; anything else
 * that is not such an object is INVALID_ARGUMENT.
 */
export function parseFiltersParam(raw: string | undefined): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  if (raw === undefined || raw.trim() === '') return filters;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw DomainError.invalidArgument('invalid filters: not a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw DomainError.invalidArgument('invalid filters: not a JSON object');
  }
  for (const [key, value] of Object.entries(parsed)) filters.set(key, valuesOf(key, value));
  return filters;
}

function valuesOf(key: string, value: unknown): string[] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value)
      .filter(([, on]) => on === true)
      .map(([v]) => v);
  }
  throw DomainError.invalidArgument(
    `invalid filters: the values of '${key}' must be a set or a list of strings`,
  );
}

/** assertKnownFilters answers Docker's 400 `invalid filter '<key>'` for the first key outside `allowed`. */
export function assertKnownFilters(
  filters: Map<string, string[]>,
  allowed: readonly string[],
): void {
  for (const key of filters.keys()) {
    if (!allowed.includes(key)) throw DomainError.invalidArgument(`invalid filter '${key}'`);
  }
}
