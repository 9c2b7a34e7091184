import type { ImageRecord } from '@stevedore/contracts';
import { assertKnownFilters, parseFiltersParam } from './filters-param';
import { globToRegExp } from './glob';
import { parseImageListQuery, parseTimeOrDuration, selectImages } from './image-filters';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function image(
  n: number,
  created: string,
  repoTags: string[],
  labels: Record<string, string> = {},
): ImageRecord {
  const id = `sha256:${String(n).repeat(64).slice(0, 64)}`;
  return {
    id,
    repoTags,
    repoDigests: repoTags.map((t) => `${t.replace(/:[^:/]+$/, '')}@sha256:${'e'.repeat(64)}`),
    manifests: [],
    created,
    addedAt: created,
    size: n,
    labels,
    os: 'linux',
    architecture: 'amd64',
    configJson: '{}',
  };
}

const BUSYBOX = image(
  1,
  '2024-01-01T00:00:00Z',
  ['docker.io/library/busybox:latest', 'docker.io/library/mybusybox:1'],
  { tier: 'base' },
);
const ALPINE = image(2, '2025-01-01T00:00:00Z', ['docker.io/library/alpine:3.20'], {
  tier: 'base',
  team: 'x',
});
const LOCAL = image(3, '2023-01-01T00:00:00Z', ['127.0.0.1:5000/team/app:v1']);
const DANGLING = image(4, '2025-06-01T00:00:00Z', []);
const ALL = [BUSYBOX, ALPINE, LOCAL, DANGLING];

function list(filters: Record<string, unknown>, bounds = {}) {
  const query = parseImageListQuery(parseFiltersParam(JSON.stringify(filters)), NOW);
  return selectImages(ALL, query, bounds).map((s) => [s.Size, s.RepoTags]);
}

describe('parseFiltersParam', () => {
  it('reads the CLI’s map of sets and the swagger’s map of lists', () => {
    expect(parseFiltersParam('{"dangling":{"true":true},"label":{"a=b":true,"c":false}}')).toEqual(
      new Map([
        ['dangling', ['true']],
        ['label', ['a=b']],
      ]),
    );
    expect(parseFiltersParam('{"reference":["busy*","alp*"]}')).toEqual(
      new Map([['reference', ['busy*', 'alp*']]]),
    );
    expect(parseFiltersParam(undefined).size).toBe(0);
    expect(parseFiltersParam('').size).toBe(0);
  });

  it.each(['nope', '[]', '"x"', '{"a":1}', '{"a":[1]}'])(
    'refuses %s with INVALID_ARGUMENT',
    (raw) => {
      expect(() => parseFiltersParam(raw)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    },
  );

  it('names an unknown key the way the daemon does', () => {
    expect(() => assertKnownFilters(new Map([['foo', ['bar']]]), ['label'])).toThrow(
      "invalid filter 'foo'",
    );
  });
});

describe('globToRegExp (Go path.Match)', () => {
  it.each([
    ['busy*', 'busybox', true],
    ['*box', 'busybox:latest', false],
    ['*box*', 'busybox:latest', true],
    ['*', 'library/foo', false],
    ['*/*', 'library/foo', true],
    ['busybox:?atest', 'busybox:latest', true],
    ['[ab]lpine', 'alpine', true],
    ['[^a]lpine', 'alpine', false],
    ['a.b', 'axb', false],
    ['127.0.0.1:5000/*', '127.0.0.1:5000/app', true],
  ])('%s matches %s: %s', (pattern, text, expected) =>
    expect(globToRegExp(pattern).test(text)).toBe(expected),
  );
});

describe('selectImages', () => {
  it('lists every image newest first, dangling ones included', () => {
    expect(list({}).map(([size]) => size)).toEqual([4, 2, 1, 3]);
  });

  it('filters dangling=true / dangling=false', () => {
    expect(list({ dangling: { true: true } })).toEqual([[4, []]]);
    expect(list({ dangling: { false: true } }).map(([size]) => size)).toEqual([2, 1, 3]);
    expect(() => list({ dangling: { maybe: true } })).toThrow("invalid filter 'dangling=maybe'");
  });

  it('keeps only the matching tags with reference filters, ORed', () => {
    expect(list({ reference: { 'my*': true } })).toEqual([[1, ['mybusybox:1']]]);
    expect(
      list({
        reference: { 'busybox:latest': true, '127.0.0.1:5000/*/*': true },
      }),
    ).toEqual([
      [1, ['busybox:latest']],
      [3, ['127.0.0.1:5000/team/app:v1']],
    ]);
    expect(list({ reference: { nothing: true } })).toEqual([]);
  });

  it('requires every label filter, by key or key=value', () => {
    expect(list({ label: { tier: true } }).map(([size]) => size)).toEqual([2, 1]);
    expect(list({ label: { 'tier=base': true, team: true } }).map(([size]) => size)).toEqual([2]);
    expect(list({ label: { 'tier=top': true } })).toEqual([]);
  });

  it('applies before/since bounds and until', () => {
    const jan2025 = Date.parse('2025-01-01T00:00:00Z');
    expect(list({ before: { alpine: true } }, { before: jan2025 }).map(([size]) => size)).toEqual([
      1, 3,
    ]);
    expect(list({ since: { alpine: true } }, { since: jan2025 }).map(([size]) => size)).toEqual([
      4,
    ]);
    expect(list({ until: { '2024-06-01T00:00:00Z': true } }).map(([size]) => size)).toEqual([1, 3]);
  });

  it('refuses keys the daemon does not know', () => {
    expect(() => list({ foo: { bar: true } })).toThrow("invalid filter 'foo'");
  });
});

describe('parseTimeOrDuration', () => {
  it('reads unix seconds, RFC 3339 and Go durations back from now', () => {
    expect(parseTimeOrDuration('1700000000', NOW)).toBe(1_700_000_000_000);
    expect(parseTimeOrDuration('2025-01-01T00:00:00Z', NOW)).toBe(
      Date.parse('2025-01-01T00:00:00Z'),
    );
    expect(parseTimeOrDuration('24h', NOW)).toBe(NOW - 86_400_000);
    expect(parseTimeOrDuration('1h30m', NOW)).toBe(NOW - 5_400_000);
    expect(() => parseTimeOrDuration('yesterday', NOW)).toThrow(/invalid filter 'until=yesterday'/);
  });
});
