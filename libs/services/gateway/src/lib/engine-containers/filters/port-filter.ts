import { DomainError } from '@stevedore/domain';

/** PortRange is a `publish`/`expose` filter value: `80`, `80/udp`, `8000-8080/tcp`. */
export interface PortRange {
  start: number;
  end: number;
  proto: string;
}

/** port is Go's `strconv.ParseUint(text, 10, 16)` as dockerd 20.10 words its failure for `key`. */
function port(text: string, spec: string, key: string): number {
  const why = !/^\d+$/.test(text)
    ? 'invalid syntax'
    : Number(text) > 65535
      ? 'value out of range'
      : '';
  if (why === '') return Number(text);
  throw DomainError.invalidArgument(
    `error while looking up for ${key} ${spec}: strconv.ParseUint: parsing ${JSON.stringify(text)}: ${why}`,
  );
}

/** parsePortFilter reads one `publish`/`expose` (`key`) value; tcp when no protocol is named. */
export function parsePortFilter(spec: string, key: string): PortRange {
  const [range = '', proto = 'tcp'] = spec.split('/');
  const [from = '', to] = range.split('-');
  const start = port(from, spec, key);
  return { start, end: to === undefined ? start : port(to, spec, key), proto };
}

/** matchesPort says whether `port/proto` falls in one of `ranges`. */
export function matchesPort(ranges: readonly PortRange[], port: number, proto: string): boolean {
  return ranges.some((r) => r.proto === proto && port >= r.start && port <= r.end);
}
