import { DomainError } from '@stevedore/domain';
import { containerJson } from '../mapping/container-fixture';
import { parsePsQuery } from './container-filters';
import { PsSelection, selectContainers } from './select-containers';

const filters = (f: Record<string, string[]>) => new Map(Object.entries(f));
const ids = (cs: { Id: string }[]) => cs.map((c) => c.Id);

function refusal(f: Record<string, string[]>): string {
  try {
    parsePsQuery(filters(f));
  } catch (err) {
    if (err instanceof DomainError && err.code === 'INVALID_ARGUMENT') return err.message;
    throw err;
  }
  throw new Error('accepted');
}

const started = { StartedAt: '2026-01-01T10:00:01Z' };
// Newest first, as docker ps lists them.
const web = containerJson({
  Id: 'c3'.padEnd(64, '3'),
  Name: '/web',
  State: { ...started, Status: 'running', Running: true },
  Config: { Image: 'nginx', Labels: { tier: 'front' } },
  Image: 'sha256:nginx',
  NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } },
});
const done = containerJson({
  Id: 'c2'.padEnd(64, '2'),
  Name: '/done',
  State: { ...started, Status: 'exited', ExitCode: 1, FinishedAt: '2026-01-01T10:00:02Z' },
});
const fresh = containerJson({ Id: 'c1'.padEnd(64, '1'), Name: '/fresh' });
const all = [web, done, fresh];

const select = (f: Record<string, string[]>, sel: Partial<PsSelection> = {}) =>
  ids(selectContainers(all, parsePsQuery(filters(f)), { all: false, limit: 0, ...sel }));

describe('docker ps filters (dockerd daemon/list.go)', () => {
  it('lists running containers only, unless -a', () => {
    expect(select({})).toEqual([web.Id]);
    expect(select({}, { all: true })).toEqual(ids(all));
  });
  it('lets a status filter see stopped containers without -a', () => {
    expect(select({ status: ['exited'] })).toEqual([done.Id]);
    expect(select({ status: ['created', 'running'] })).toEqual([web.Id, fresh.Id]);
  });
  it('matches exited codes only among containers that ran and stopped', () => {
    expect(select({ exited: ['1'] }, { all: true })).toEqual([done.Id]);
    expect(select({ exited: ['0'] }, { all: true })).toEqual([]);
  });
  it('matches names and IDs as regular expressions, labels by key or key=value', () => {
    expect(select({ name: ['^/?do'] }, { all: true })).toEqual([done.Id]);
    expect(select({ name: ['fresh'] }, { all: true })).toEqual([fresh.Id]);
    expect(select({ id: ['c2'] }, { all: true })).toEqual([done.Id]);
    expect(select({ label: ['tier'] }, { all: true })).toEqual([web.Id]);
    expect(select({ label: ['tier=back'] }, { all: true })).toEqual([]);
  });
  it('bounds the list by before/since containers and by limit', () => {
    expect(select({}, { before: web.Id })).toEqual([done.Id, fresh.Id]);
    expect(select({}, { since: fresh.Id })).toEqual([web.Id, done.Id]);
    expect(select({}, { limit: 2 })).toEqual([web.Id, done.Id]);
  });
  it('keeps containers of the ancestor images only (none when none resolved)', () => {
    expect(
      select({ ancestor: ['nginx'] }, { all: true, ancestors: new Set(['sha256:nginx']) }),
    ).toEqual([web.Id]);
    expect(select({ ancestor: ['nosuch'] }, { all: true, ancestors: new Set() })).toEqual([]);
  });
  it('matches published and exposed ports, health none, and no swarm tasks', () => {
    expect(select({ publish: ['8080'] }, { all: true })).toEqual([web.Id]);
    expect(select({ expose: ['80/tcp'] }, { all: true })).toEqual([web.Id]);
    expect(select({ publish: ['80'] }, { all: true })).toEqual([]);
    expect(select({ health: ['none'] })).toEqual([web.Id]);
    expect(select({ health: ['healthy'] })).toEqual([]);
    expect(select({ 'is-task': ['true'] })).toEqual([]);
  });
  // Each message pinned against dockerd 20.10 (`GET /v1.41/containers/json?filters=…`).
  it('refuses bad filters in dockerd 20.10’s words', () => {
    expect(refusal({ colour: ['red'] })).toBe("Invalid filter 'colour'");
    expect(refusal({ status: ['x'] })).toBe("Invalid filter 'status=x'");
    expect(refusal({ health: ['ok'] })).toBe('Unrecognised filter value for health: ok');
    expect(refusal({ exited: ['x'] })).toBe('strconv.Atoi: parsing "x": invalid syntax');
    expect(refusal({ 'is-task': ['maybe'] })).toBe("Invalid filter 'is-task=[maybe]'");
    expect(refusal({ publish: ['abc'] })).toBe(
      'error while looking up for publish abc: strconv.ParseUint: parsing "abc": invalid syntax',
    );
    expect(refusal({ expose: ['1-x'] })).toBe(
      'error while looking up for expose 1-x: strconv.ParseUint: parsing "x": invalid syntax',
    );
  });
  it('accepts any isolation and filters nothing by it, as dockerd on Linux', () => {
    expect(select({ isolation: ['hyperv'] })).toEqual([web.Id]);
  });
});
