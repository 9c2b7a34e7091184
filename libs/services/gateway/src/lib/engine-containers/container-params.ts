import { DomainError, goQuote } from '@stevedore/domain';
import type { AttachOptions, LogsOptions } from '@stevedore/runtime-http';
import { QueryValue, boolParam, one } from '../engine/request-params';
import { parseTimeOrDuration } from '../engine-images/filters/image-filters';

type Query = Record<string, QueryValue>;

/** goAtoi is Go's `strconv.Atoi` with its own error text, which dockerd answers as is (400). */
export function goAtoi(raw: string): number {
  const why = !/^[+-]?\d+$/.test(raw)
    ? 'invalid syntax'
    : !Number.isSafeInteger(Number(raw))
      ? 'value out of range'
      : undefined;
  if (why === undefined) return Number(raw);
  throw DomainError.invalidArgument(`strconv.Atoi: parsing ${goQuote(raw)}: ${why}`);
}

/** optionalInt reads an optional integer parameter (`t`, `limit`); absent or empty is undefined. */
export function optionalInt(value: QueryValue): number | undefined {
  const raw = one(value);
  return raw === undefined || raw === '' ? undefined : goAtoi(raw);
}

/** boolOr is dockerd's `BoolValueOrDefault`: absent means `fallback`. */
export function boolOr(value: QueryValue, fallback: boolean): boolean {
  return one(value) === undefined ? fallback : boolParam(value);
}

/** attachOptions reads `POST /containers/{id}/attach`'s query. */
export function attachOptions(q: Query): AttachOptions {
  const detachKeys = one(q['detachKeys']);
  return {
    stream: boolParam(q['stream']),
    logs: boolParam(q['logs']),
    stdin: boolParam(q['stdin']),
    stdout: boolParam(q['stdout']),
    stderr: boolParam(q['stderr']),
    ...(detachKeys ? { detachKeys } : {}),
  };
}

/** timestampParam reads `since`/`until` (unix seconds, fractional, or RFC 3339) as unix seconds; 0 for none. */
function timestampParam(value: QueryValue, now: number): number {
  const raw = one(value);
  if (raw === undefined || raw === '') return 0;
  return parseTimeOrDuration(raw, now) / 1000;
}

/** logsOptions reads `GET /containers/{id}/logs`'s query (`tail` defaults to all). */
export function logsOptions(q: Query, now: number): LogsOptions {
  const tail = one(q['tail']);
  return {
    follow: boolParam(q['follow']),
    stdout: boolParam(q['stdout']),
    stderr: boolParam(q['stderr']),
    since: timestampParam(q['since'], now),
    until: timestampParam(q['until'], now),
    timestamps: boolParam(q['timestamps']),
    tail: tail === undefined || tail === '' ? 'all' : tail,
  };
}
