import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ImportRootfsV1, LoadArchiveV1, SaveArchiveV1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';

/**
 * The exporter's internal HTTP protocol (cluster topology; embedded mode calls the exporter's
 * use-cases directly). All paths are relative to the exporter's internal base URL:
 *
 *   POST /load?platform=P                      body = the archive (plain or compressed)
 *                                              200 LoadResultV1
 *   POST /import?fromSrc=S&repo=R&tag=T&message=M&changes=C1&changes=C2&platform=P
 *                                              body = the root filesystem tar when S is `-`
 *                                              200 ImportResultV1
 *   POST /save                                 body = SaveArchiveV1 as JSON
 *                                              200 application/x-tar, streamed
 *
 * A request rides in the query string when the body is a stream. Errors are `{code, message}`
 * JSON with the status of `@stevedore/internal-http`'s map. A save answers its errors before the
 * first byte of the tar; one that fails later is cut short (the connection closes), never wrong.
 */
export const ARCHIVE_PATHS = { load: '/load', import: '/import', save: '/save' } as const;

/** The largest JSON request body (a save of 1000 long names fits). */
export const MAX_REQUEST_BYTES = 1 << 20;

/** queryOf encodes a request's fields as a query string: lists repeat their key, absent fields are left out. */
export function queryOf(request: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request)) {
    for (const item of Array.isArray(value) ? value : [value])
      if (item !== undefined) params.append(key, String(item));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** loadRequestOf reads and validates a `/load` query. */
export function loadRequestOf(url: URL): LoadArchiveV1 {
  return validRequest(LoadArchiveV1, fieldsOf(url, []));
}

/** importRequestOf reads and validates an `/import` query (`changes` is a list, maybe empty). */
export function importRequestOf(url: URL): ImportRootfsV1 {
  return validRequest(ImportRootfsV1, fieldsOf(url, ['changes']));
}

/** saveRequestOf validates a `/save` body. */
export function saveRequestOf(json: string): SaveArchiveV1 {
  let plain: unknown;
  try {
    plain = JSON.parse(json);
  } catch {
    throw DomainError.invalidArgument('invalid request: the body is not JSON');
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    throw DomainError.invalidArgument('invalid request: the body is not a JSON object');
  return validRequest(SaveArchiveV1, plain as Record<string, unknown>);
}

function fieldsOf(url: URL, lists: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = Object.fromEntries(lists.map((key) => [key, []]));
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    // A repeated single field stays a list, which validation then refuses.
    fields[key] = lists.includes(key) || values.length > 1 ? values : values[0];
  }
  return fields;
}

// What the bus's ValidationPipe does for messages: unknown fields and wrong types are refused.
function validRequest<T extends object>(cls: new () => T, plain: Record<string, unknown>): T {
  const request = plainToInstance(cls, plain);
  const problems = validateSync(request, { whitelist: true, forbidNonWhitelisted: true }).flatMap(
    (e) => Object.values(e.constraints ?? {}),
  );
  if (problems.length > 0)
    throw DomainError.invalidArgument(`invalid request: ${problems.join('; ')}`);
  return request;
}
