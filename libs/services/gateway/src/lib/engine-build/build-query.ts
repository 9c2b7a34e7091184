import { DomainError, goQuote } from '@stevedore/domain';
import { QueryValue, all, boolParam, one } from '../engine/request-params';

/**
 * The small readers of `POST /build`'s query that dockerd 20.10's newImageBuildOptions and its
 * classic builder apply, each with dockerd's words for a bad value.
 */

type Q = Record<string, QueryValue>;

/**
 * int64OrZero is httputils.Int64ValueOrZero: a number, or 0 for absent and unparsable values
 * (dockerd refuses no `memory=abc`). Zero is "not set", so undefined is returned for it.
 */
export function int64OrZero(value: QueryValue): number | undefined {
  const raw = one(value) ?? '';
  const n = /^[+-]?\d+$/.test(raw) ? Number(raw) : 0;
  return Number.isSafeInteger(n) && n !== 0 ? n : undefined;
}

/** shmSize is `strconv.ParseInt(shmsize, 10, 64)`, refused in its words when it fails. */
export function shmSize(value: QueryValue): number | undefined {
  const raw = one(value) ?? '';
  if (raw === '') return undefined;
  const why = !/^[+-]?\d+$/.test(raw)
    ? 'invalid syntax'
    : !Number.isSafeInteger(Number(raw))
      ? 'value out of range'
      : undefined;
  if (why === undefined) return Number(raw);
  throw DomainError.invalidArgument(`strconv.ParseInt: parsing ${goQuote(raw)}: ${why}`);
}

/**
 * removeIntermediate is the classic builder's `rm`: true with `forcerm`, true when `rm` is absent
 * (API ≥ 1.12, all the gateway serves), else `rm` as a boolean.
 */
export function removeIntermediate(q: Q): boolean {
  if (boolParam(q['forcerm'])) return true;
  return one(q['rm']) === undefined || one(q['rm']) === '' ? true : boolParam(q['rm']);
}

/**
 * assertClassicBuilder accepts `version` 1 (or none); BuildKit (2) is refused as by a dockerd
 * whose buildkit feature is off, anything else as dockerd's parseVersion does.
 */
export function assertClassicBuilder(value: QueryValue): void {
  const version = one(value) ?? '';
  if (version === '' || version === '1') return;
  if (version === '2') throw DomainError.invalidArgument('buildkit is not enabled on daemon');
  throw DomainError.invalidArgument(`invalid version ${goQuote(version)}`);
}

/**
 * assertLinuxOptions refuses what dockerd on Linux refuses before building: an isolation other
 * than `default`, any `securityopt`, and `squash` (experimental only).
 */
export function assertLinuxOptions(q: Q): void {
  const isolation = one(q['isolation']) ?? '';
  if (isolation !== '' && isolation.toLowerCase() !== 'default')
    throw DomainError.invalidArgument(`Unsupported isolation: ${goQuote(isolation)}`);
  if (q['securityopt'] !== undefined)
    throw DomainError.invalidArgument(
      'The daemon on this platform does not support setting security options on build',
    );
  if (boolParam(q['squash']))
    throw DomainError.invalidArgument('squash is only supported with experimental mode');
}

/**
 * assertNothingUnapplied refuses the RUN-container settings the runtime cannot apply (ulimits,
 * cgroup parent, memory nodes) rather than building as if they had been honoured.
 */
export function assertNothingUnapplied(q: Q, ulimits: unknown[]): void {
  const unapplied = [
    ulimits.length > 0 ? 'ulimits' : '',
    one(q['cgroupparent']) ? 'cgroupparent' : '',
    one(q['cpusetmems']) ? 'cpusetmems' : '',
  ].filter(Boolean);
  if (unapplied.length > 0)
    throw new DomainError(
      'UNSUPPORTED',
      `Stevedore does not apply ${unapplied.join(', ')} to build containers`,
    );
}

const NETWORK_MODES = ['default', 'bridge', 'host', 'none'];

/** networkMode is `networkmode` (`default` when absent); a network Stevedore has not is dockerd's 404. */
export function networkMode(value: QueryValue): string {
  const mode = one(value) || 'default';
  if (!NETWORK_MODES.includes(mode)) throw DomainError.notFound(`network ${mode} not found`);
  return mode;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** extraHosts are `extrahosts` (`name:ip`), checked as dockerd checks `--add-host`. */
export function extraHosts(value: QueryValue): string[] {
  return all(value).map((entry) => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw DomainError.invalidArgument(`bad format for add-host: ${goQuote(entry)}`);
    const ip = entry.slice(colon + 1).replace(/^\[(.*)\]$/, '$1');
    if (ip !== 'host-gateway' && !IPV4.test(ip) && !isIpv6(ip))
      throw DomainError.invalidArgument(`invalid IP address in add-host: ${goQuote(ip)}`);
    return entry;
  });
}

function isIpv6(ip: string): boolean {
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) && (ip.match(/::/g) ?? []).length <= 1;
}
