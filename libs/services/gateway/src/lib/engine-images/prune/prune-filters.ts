import type { ImageRecord } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { assertKnownFilters } from '../filters/filters-param';
import { parseTimeOrDuration } from '../filters/image-filters';

/** PRUNE_FILTERS are the keys `POST /images/prune` accepts (the daemon's whitelist). */
export const PRUNE_FILTERS = ['dangling', 'until', 'label', 'label!'] as const;

/** PruneQuery is a validated prune filter set. */
export interface PruneQuery {
  /** true (the default): only untagged images; false (`-a`): every image not used by a container — all here. */
  danglingOnly: boolean;
  /** Unix ms: only images created before this. */
  until?: number;
  labels: string[];
  notLabels: string[];
}

/** parsePruneQuery validates prune filters: unknown keys are Docker's `invalid filter '<key>'`. */
export function parsePruneQuery(filters: Map<string, string[]>, now: number): PruneQuery {
  assertKnownFilters(filters, PRUNE_FILTERS);
  const dangling = filters.get('dangling')?.[0] ?? 'true';
  if (!/^(true|false|1|0)$/i.test(dangling))
    throw DomainError.invalidArgument(`invalid filter 'dangling=${dangling}'`);
  const until = filters.get('until')?.[0];
  return {
    danglingOnly: /^(true|1)$/i.test(dangling),
    ...(until !== undefined ? { until: parseTimeOrDuration(until, now) } : {}),
    labels: filters.get('label') ?? [],
    notLabels: filters.get('label!') ?? [],
  };
}

function hasLabel(image: ImageRecord, label: string): boolean {
  const eq = label.indexOf('=');
  if (eq === -1) return label in image.labels;
  return image.labels[label.slice(0, eq)] === label.slice(eq + 1);
}

/** prunable picks the images a prune removes, oldest first. */
export function prunable(images: readonly ImageRecord[], query: PruneQuery): ImageRecord[] {
  return images
    .filter((image) => !query.danglingOnly || image.repoTags.length === 0)
    .filter((image) => query.until === undefined || Date.parse(image.created) < query.until)
    .filter((image) => query.labels.every((l) => hasLabel(image, l)))
    .filter((image) => !query.notLabels.some((l) => hasLabel(image, l)))
    .sort((a, b) => Date.parse(a.created) - Date.parse(b.created));
}
