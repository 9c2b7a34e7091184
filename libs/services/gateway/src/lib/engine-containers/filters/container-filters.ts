import { DomainError } from '@stevedore/domain';
import { assertKnownFilters } from '../../engine-images/filters/filters-param';
import { matchesPort, parsePortFilter, PortRange } from './port-filter';

/** PS_FILTERS are the keys `GET /containers/json` accepts (dockerd's acceptedPsFilterTags). */
export const PS_FILTERS = [
  'ancestor',
  'before',
  'expose',
  'exited',
  'health',
  'id',
  'isolation',
  'label',
  'name',
  'status',
  'publish',
  'network',
  'since',
  'volume',
  'is-task',
] as const;

const STATES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'];
const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];

/** PsQuery is a validated `docker ps` filter set; `ancestor`/`before`/`since` still name things. */
export interface PsQuery {
  filters: Map<string, string[]>;
  exited: number[];
  expose: PortRange[];
  publish: PortRange[];
  /** A status filter lists stopped containers too, as `-a` does. */
  impliesAll: boolean;
}

function atoi(value: string): number {
  if (/^[+-]?\d+$/.test(value)) return Number(value);
  throw DomainError.invalidArgument(`strconv.Atoi: parsing "${value}": invalid syntax`);
}

function checkValues(filters: Map<string, string[]>, key: string, allowed: string[]): void {
  for (const value of filters.get(key) ?? [])
    if (!allowed.includes(value))
      throw DomainError.invalidArgument(`Unrecognised filter value for ${key}: ${value}`);
}

/**
 * parsePsQuery validates `docker ps --filter` as dockerd does: an unknown key is 400 `invalid
 * filter '<key>'`, a bad status or health `Unrecognised filter value for <key>: <v>`, a bad exit
 * code Go's Atoi error, a bad isolation (only `default` exists on Linux) likewise.
 */
export function parsePsQuery(filters: Map<string, string[]>): PsQuery {
  assertKnownFilters(filters, PS_FILTERS);
  checkValues(filters, 'status', STATES);
  checkValues(filters, 'health', HEALTH);
  checkValues(filters, 'isolation', ['default']);
  for (const value of filters.get('is-task') ?? [])
    if (!/^(true|false|1|0)$/i.test(value))
      throw DomainError.invalidArgument(`Unrecognised filter value for is-task: ${value}`);
  return {
    filters,
    exited: (filters.get('exited') ?? []).map(atoi),
    expose: (filters.get('expose') ?? []).map(parsePortFilter),
    publish: (filters.get('publish') ?? []).map(parsePortFilter),
    impliesAll: filters.has('status'),
  };
}

/** regexMatch is the daemon's `filters.Match`: an exact value, or an unanchored regular expression. */
export function regexMatch(values: readonly string[], source: string): boolean {
  return values.some((v) => {
    if (v === source) return true;
    try {
      return new RegExp(v).test(source);
    } catch {
      return false;
    }
  });
}

/** labelMatch is `filters.MatchKVList`: every `key` present and every `key=value` equal. */
export function labelMatch(values: readonly string[], labels: Record<string, string>): boolean {
  return values.every((v) => {
    const eq = v.indexOf('=');
    if (eq < 0) return v in labels;
    return labels[v.slice(0, eq)] === v.slice(eq + 1);
  });
}

export { matchesPort };
