import type { ContainerJsonV1 } from '@stevedore/contracts';
import { PortSummary, portsOf } from '../mapping/container-summary';
import { PsQuery, labelMatch, matchesPort, regexMatch } from './container-filters';

/** PsSelection is what `GET /containers/json` resolved besides the filters themselves. */
export interface PsSelection {
  all: boolean;
  /** Show the `limit` newest, whatever their state (`docker ps -n`, `-l`); 0 for no limit. */
  limit: number;
  /** Image IDs the `ancestor` filter resolved to; undefined when there is no such filter. */
  ancestors?: ReadonlySet<string>;
  /** The full IDs `before`/`since` named. */
  before?: string;
  since?: string;
}

function networksOf(c: ContainerJsonV1): Record<string, { NetworkID?: string }> {
  return (c.NetworkSettings['Networks'] ?? {}) as Record<string, { NetworkID?: string }>;
}

function anyPort(ranges: PsQuery['publish'], ports: PortSummary[], published: boolean): boolean {
  return ports.some((p) => {
    const n = published ? p.PublicPort : p.PrivatePort;
    return n !== undefined && matchesPort(ranges, n, p.Type);
  });
}

/** passes applies the per-container filters, dockerd's includeContainerInList after the bounds. */
function passes(c: ContainerJsonV1, q: PsQuery, sel: PsSelection): boolean {
  const f = (key: string): string[] => q.filters.get(key) ?? [];
  const name = c.Name.replace(/^\//, '');
  const labels = (c.Config['Labels'] ?? {}) as Record<string, string>;
  const checks: [string, () => boolean][] = [
    ['name', () => regexMatch(f('name'), c.Name) || regexMatch(f('name'), name)],
    ['id', () => regexMatch(f('id'), c.Id)],
    ['label', () => labelMatch(f('label'), labels)],
    ['status', () => f('status').includes(c.State.Status)],
    ['health', () => f('health').includes('none')],
    ['is-task', () => f('is-task').every((v) => v === 'false')],
    [
      'network',
      () =>
        Object.entries(networksOf(c)).some(([n, e]) =>
          f('network').some((v) => v === n || v === e.NetworkID),
        ),
    ],
    [
      'volume',
      () =>
        c.Mounts.some((m) => f('volume').some((v) => v === m['Name'] || v === m['Destination'])),
    ],
    ['publish', () => anyPort(q.publish, portsOf(c.NetworkSettings), true)],
    ['expose', () => anyPort(q.expose, portsOf(c.NetworkSettings), false)],
  ];
  if (checks.some(([key, ok]) => q.filters.has(key) && !ok())) return false;
  if (
    q.exited.length > 0 &&
    (c.State.Running ||
      c.State.StartedAt.startsWith('0001-') ||
      !q.exited.includes(c.State.ExitCode))
  )
    return false;
  return sel.ancestors === undefined || sel.ancestors.has(c.Image);
}

/**
 * selectContainers is dockerd's `docker ps` walk over containers newest first: `before` skips
 * until that container, `since` stops at it, stopped ones count only with `all`, a status filter,
 * `before`/`since` or a limit, and the limit cuts what passed the filters.
 */
export function selectContainers(
  newestFirst: readonly ContainerJsonV1[],
  q: PsQuery,
  sel: PsSelection,
): ContainerJsonV1[] {
  const out: ContainerJsonV1[] = [];
  let beforeSeen = sel.before === undefined;
  const everyState = sel.all || q.impliesAll || sel.limit > 0 || !!sel.before || !!sel.since;
  for (const c of newestFirst) {
    if (!beforeSeen) {
      beforeSeen = c.Id === sel.before;
      continue;
    }
    if (c.Id === sel.since) break;
    if (!c.State.Running && !everyState) continue;
    if (!passes(c, q, sel)) continue;
    out.push(c);
    if (sel.limit > 0 && out.length >= sel.limit) break;
  }
  return out;
}
