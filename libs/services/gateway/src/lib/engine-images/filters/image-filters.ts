import { DomainError, parseReference } from '@stevedore/domain';
import type { ImageSummary } from '../engine-types';
import { LayerSizes, SizedImage } from '../mapping/image-size';
import { toImageSummary } from '../mapping/image-summary';
import { assertKnownFilters } from './filters-param';
import { globToRegExp } from './glob';

/** IMAGE_LIST_FILTERS are the filter keys `GET /images/json` accepts (the daemon's whitelist). */
export const IMAGE_LIST_FILTERS = [
  'dangling',
  'label',
  'before',
  'since',
  'reference',
  'until',
] as const;

/** ImageListQuery is a validated `GET /images/json` filter set; `before`/`since` still name images. */
export interface ImageListQuery {
  dangling?: boolean;
  labels: string[];
  references: RegExp[];
  before?: string;
  since?: string;
  /** Unix milliseconds: only images created before this. */
  until?: number;
}

/** Created-time bounds (unix ms) that `before`/`since` resolved to. */
export interface CreatedBounds {
  before?: number;
  since?: number;
}

/**
 * parseImageListQuery validates `filters` for `GET /images/json`: an unknown key is Docker's 400
 * `invalid filter '<key>'`, a bad `dangling` or `until` value a 400 naming it; `now` anchors durations.
 */
export function parseImageListQuery(filters: Map<string, string[]>, now: number): ImageListQuery {
  assertKnownFilters(filters, IMAGE_LIST_FILTERS);
  const query: ImageListQuery = {
    labels: filters.get('label') ?? [],
    references: (filters.get('reference') ?? []).map(globToRegExp),
  };
  const dangling = filters.get('dangling')?.[0];
  if (dangling !== undefined) {
    if (!/^(true|false|1|0)$/i.test(dangling))
      throw DomainError.invalidArgument(`invalid filter 'dangling=${dangling}'`);
    query.dangling = /^(true|1)$/i.test(dangling);
  }
  const before = filters.get('before')?.[0];
  const since = filters.get('since')?.[0];
  const until = filters.get('until')?.[0];
  if (before !== undefined) query.before = before;
  if (since !== undefined) query.since = since;
  if (until !== undefined) query.until = parseTimeOrDuration(until, now);
  return query;
}

const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** parseTimeOrDuration reads Docker's `until`: unix seconds, an RFC 3339 time, or a Go duration back from `now`. */
export function parseTimeOrDuration(value: string, now: number): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (GO_DURATION.test(value)) {
    let ms = 0;
    for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
      ms += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0);
    return now - ms;
  }
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw DomainError.invalidArgument(
      `invalid filter 'until=${value}': not a timestamp or a duration`,
    );
  return time;
}

function hasLabels(image: SizedImage, labels: readonly string[]): boolean {
  return labels.every((label) => {
    const eq = label.indexOf('=');
    if (eq === -1) return label in image.labels;
    return image.labels[label.slice(0, eq)] === label.slice(eq + 1);
  });
}

// Docker's FamiliarMatch: the pattern may match `busybox:latest` or just `busybox`.
function matchesReference(ref: string, patterns: readonly RegExp[]): boolean {
  const parsed = parseReference(ref);
  return patterns.some((p) => p.test(parsed.familiar()) || p.test(parsed.familiarName()));
}

function withinTime(summary: ImageSummary, query: ImageListQuery, bounds: CreatedBounds): boolean {
  const created = summary.Created * 1000;
  if (bounds.before !== undefined && !(created < bounds.before)) return false;
  if (bounds.since !== undefined && !(created > bounds.since)) return false;
  return query.until === undefined || created < query.until;
}

/** Summarize maps an image to its summary against the size table of every image. */
export type Summarize = (image: SizedImage, sizes: LayerSizes) => ImageSummary;

/**
 * selectImages applies a validated query to `images` and maps the survivors to ImageSummary, newest
 * first. With `reference` filters only matching RepoTags/RepoDigests are listed, as the daemon does.
 */
export function selectImages(
  images: readonly SizedImage[],
  query: ImageListQuery,
  bounds: CreatedBounds = {},
  summarize: Summarize = toImageSummary,
): ImageSummary[] {
  const selected: ImageSummary[] = [];
  const sizes = LayerSizes.of(images);
  for (const image of images) {
    if (query.dangling !== undefined && (image.repoTags.length === 0) !== query.dangling) continue;
    if (!hasLabels(image, query.labels)) continue;
    const refs =
      query.references.length === 0
        ? undefined
        : {
            repoTags: image.repoTags.filter((r) => matchesReference(r, query.references)),
            repoDigests: image.repoDigests.filter((r) => matchesReference(r, query.references)),
          };
    if (refs && refs.repoTags.length + refs.repoDigests.length === 0) continue;
    const summary = summarize(refs ? { ...image, ...refs } : image, sizes);
    if (withinTime(summary, query, bounds)) selected.push(summary);
  }
  return selected.sort((a, b) => b.Created - a.Created);
}
