import {
  DomainError,
  Platform,
  defaultTargetPlatform,
  formatPlatform,
  goQuote,
  hostPlatform,
  parsePlatform,
} from '@stevedore/domain';

/**
 * The Engine API's query parameters, read the way the daemon reads them: one place for every
 * route, so a parameter means the same everywhere and a bad one is the same 400 everywhere.
 */

/** A query parameter as Express parses it: repeated parameters become arrays. */
export type QueryValue = string | string[] | undefined;

/** one is a parameter's first value (Go's `r.Form.Get`). */
export function one(value: QueryValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** all is every value a repeated parameter was given (Go's `r.Form[key]`). */
export function all(value: QueryValue): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const FALSE_WORDS = new Set(['', '0', 'no', 'false', 'none']);

/**
 * boolParam is the daemon's `httputils.BoolValue`: after trimming and lower-casing, `""`, `0`,
 * `no`, `false` and `none` are false and anything else is true, `force=maybe` included; dockerd
 * answers no 400 for a boolean, so neither does this.
 */
export function boolParam(value: QueryValue): boolean {
  return !FALSE_WORDS.has((one(value) ?? '').trim().toLowerCase());
}

/**
 * platformParam validates a `platform` parameter (`os[/arch[/variant]]`) with containerd's parser,
 * the daemon's, and returns it normalised; a lone OS takes this host's architecture. Absent or
 * empty is undefined. Throws INVALID_ARGUMENT in containerd's words.
 */
export function platformParam(value: QueryValue): string | undefined {
  const raw = one(value);
  if (raw === undefined || raw === '') return undefined;
  const host = defaultTargetPlatform(hostPlatform(process.arch, process.platform));
  return formatPlatform(parsePlatform(raw, host));
}

/**
 * jsonPlatformParam reads a JSON OCI platform parameter (`{"architecture":"arm64","os":"linux"}`,
 * what the CLI sends for inspect, history, save and load) as moby's `httputils.DecodePlatform`
 * does; absent or empty is undefined. Throws INVALID_ARGUMENT `failed to parse platform: …` for
 * bad JSON and `both OS and Architecture must be provided` when either is missing.
 */
export function jsonPlatformParam(value: QueryValue): Platform | undefined {
  const raw = one(value);
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw DomainError.invalidArgument(`failed to parse platform: ${goJsonError(raw)}`);
  }
  const p = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  const text = (key: string): string => (typeof p[key] === 'string' ? (p[key] as string) : '');
  if (text('os') === '' || text('architecture') === '') {
    const optional = text('variant') !== '' || text('os.version') !== '';
    throw DomainError.invalidArgument(
      optional && text('os') === '' && text('architecture') === ''
        ? 'optional platform fields provided, but OS and Architecture are missing'
        : 'both OS and Architecture must be provided',
    );
  }
  return {
    os: text('os'),
    architecture: text('architecture'),
    ...optionalVariant(text('variant')),
  };
}

function optionalVariant(variant: string): { variant?: string } {
  return variant === '' ? {} : { variant };
}

/** goJsonError words the commonest `encoding/json` failures as Go does. */
function goJsonError(raw: string): string {
  const first = raw.trimStart()[0];
  if (first === undefined) return 'unexpected end of JSON input';
  if (!'{["-0123456789tfn'.includes(first))
    return `invalid character '${first}' looking for beginning of value`;
  return 'unexpected end of JSON input';
}

/**
 * atoiParam reads an integer parameter as the daemon does (Go's `strconv.Atoi`); absent or empty
 * is undefined. Throws INVALID_ARGUMENT `invalid <name> specified: strconv.Atoi: parsing "<v>": …`.
 */
export function atoiParam(name: string, value: QueryValue): number | undefined {
  const raw = one(value);
  if (raw === undefined || raw === '') return undefined;
  const why = !/^[+-]?\d+$/.test(raw)
    ? 'invalid syntax'
    : !Number.isSafeInteger(Number(raw))
      ? 'value out of range'
      : undefined;
  if (why === undefined) return Number(raw);
  throw DomainError.invalidArgument(
    `invalid ${name} specified: strconv.Atoi: parsing ${goQuote(raw)}: ${why}`,
  );
}

/**
 * enumParams returns every value of a repeated parameter once each is one of `allowed`, and
 * throws INVALID_ARGUMENT `<unknown>: <value>` for the first that is not.
 */
export function enumParams<T extends string>(
  value: QueryValue,
  allowed: readonly T[],
  unknown: string,
): T[] {
  const values = all(value);
  const bad = values.find((v) => !(allowed as readonly string[]).includes(v));
  if (bad !== undefined) throw DomainError.invalidArgument(`${unknown}: ${bad}`);
  return values as T[];
}

/**
 * serverAddressParam checks a registry address (`docker login`'s `serveraddress`) the way the
 * daemon's URL parsing does, before anything dials it: a control character or a port outside
 * 1–65535 is INVALID_ARGUMENT `unable to parse server address: parse "https://<host>": …`.
 * Returns the address unchanged.
 */
export function serverAddressParam(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const host = address
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/s, '');
  const why = hasControlCharacter(address)
    ? 'net/url: invalid control character in URL'
    : portProblem(host);
  if (why === undefined) return address;
  throw DomainError.invalidArgument(
    `unable to parse server address: parse ${goQuote(`https://${host}`)}: ${why}`,
  );
}

/** hasControlCharacter is Go's net/url test: a byte below 0x20, or DEL. */
function hasControlCharacter(text: string): boolean {
  return [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
}

function portProblem(host: string): string | undefined {
  const port = /(?:^|[^:\]]|\])(:[^:\]]*)$/.exec(host)?.[1];
  if (port === undefined || port === ':') return undefined;
  const n = /^:\d{1,5}$/.test(port) ? Number(port.slice(1)) : NaN;
  return n >= 1 && n <= 65535 ? undefined : `invalid port ${goQuote(port)} after host`;
}
