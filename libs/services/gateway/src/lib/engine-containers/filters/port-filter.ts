import { DomainError } from '@stevedore/domain';

/** PortRange is a `publish`/`expose` filter value: `80`, `80/udp`, `8000-8080/tcp`. */
export interface PortRange {
  start: number;
  end: number;
  proto: string;
}

function port(text: string, spec: string): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (n >= 0 && n <= 65535) return n;
  throw DomainError.invalidArgument(`invalid port range: ${spec}`);
}

/** parsePortFilter reads one `publish`/`expose` value; tcp when no protocol is named (dockerd). */
export function parsePortFilter(spec: string): PortRange {
  const [range = '', proto = 'tcp'] = spec.split('/');
  const [from = '', to] = range.split('-');
  const start = port(from, spec);
  return { start, end: to === undefined ? start : port(to, spec), proto };
}

/** matchesPort says whether `port/proto` falls in one of `ranges`. */
export function matchesPort(ranges: readonly PortRange[], port: number, proto: string): boolean {
  return ranges.some((r) => r.proto === proto && port >= r.start && port <= r.end);
}
