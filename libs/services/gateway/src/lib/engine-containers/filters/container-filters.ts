import { DomainError } from '@stevedore/domain';
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

function checkKeys(filters: Map<string, string[]>): void {
  for (const key of filters.keys())
    if (!(PS_FILTERS as readonly string[]).includes(key))
      throw DomainError.invalidArgument(`Invalid filter '${key}'`);
}

/**
 * parsePsQuery validates `docker ps --filter` in dockerd 20.10's words: an unknown key is 400
 * `Invalid filter '<key>'`, a bad status `Invalid filter 'status=<v>'`, a bad health
 * `Unrecognised filter value for health: <v>`, a bad exit code or port Go's parse error.
 * `isolation` is accepted and ignored, as on Linux.
 */
export function parsePsQuery(filters: Map<string, string[]>): PsQuery {
  checkKeys(filters);
  for (const value of filters.get('status') ?? [])
    if (!STATES.includes(value))
      throw DomainError.invalidArgument(`Invalid filter 'status=${value}'`);
  for (const value of filters.get('health') ?? [])
    if (!HEALTH.includes(value))
      throw DomainError.invalidArgument(`Unrecognised filter value for health: ${value}`);
  const isTask = filters.get('is-task') ?? [];
  if (isTask.some((v) => !/^(true|false)$/.test(v)))
    throw DomainError.invalidArgument(`Invalid filter 'is-task=[${isTask.join(' ')}]'`);
  return {
    filters,
    exited: (filters.get('exited') ?? []).map(atoi),
    expose: (filters.get('expose') ?? []).map((v) => parsePortFilter(v, 'expose')),
    publish: (filters.get('publish') ?? []).map((v) => parsePortFilter(v, 'publish')),
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
