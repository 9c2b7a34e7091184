import type { ImageRecord } from '@stevedore/contracts';
import type { HistoryResponseItem } from '../engine-types';
import { RawHistoryEntry, readImageConfig, unixSeconds } from './config-json';
import { familiarRef } from './familiar';

/**
 * toImageHistory maps an image's config history to Docker's history answer, newest first: the top
 * entry carries the image ID and its tags, older ones `<missing>` (no local image of their own).
 * The k-th entry that is not `empty_layer` gets the size of the manifest's k-th layer; empty-layer
 * entries are 0. A config without history gets one entry per layer, as if each were one step.
 */
export function toImageHistory(image: ImageRecord): HistoryResponseItem[] {
  const config = readImageConfig(image.configJson);
  const layers = image.manifests[0]?.layers ?? [];
  const history: RawHistoryEntry[] =
    config.history.length > 0 ? config.history : layers.map(() => ({ created: image.created }));
  const layered = history.filter((entry) => !entry.empty_layer).length;
  // When history and layers disagree, no entry can honestly be given a layer's size.
  const sizes = layered === layers.length ? layers.map((layer) => layer.size) : [];
  let next = 0;
  const items = history.map((entry): HistoryResponseItem => ({
    Id: '<missing>',
    Created: unixSeconds(entry.created),
    CreatedBy: entry.created_by ?? '',
    Tags: null,
    Size: entry.empty_layer ? 0 : (sizes[next++] ?? 0),
    Comment: entry.comment ?? '',
  }));
  items.reverse();
  const top = items[0];
  if (top) {
    top.Id = image.id;
    top.Tags = image.repoTags.map(familiarRef);
  }
  return items;
}
