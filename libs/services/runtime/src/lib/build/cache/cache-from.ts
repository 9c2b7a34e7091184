import type { ImageManifestRecord, ImageRecord } from '@stevedore/contracts';
import { goOrdered } from '../../commit/commit-config';
import { dockerVersion } from '../../commit/container-committer';
import type { RunConfig } from '../steps/run-config';

interface History {
  created?: string;
  created_by?: string;
  empty_layer?: boolean;
}

interface SourceJson {
  author?: string;
  architecture?: string;
  os?: string;
  history?: History[];
  rootfs?: { diff_ids?: string[] };
}

/** A `--cache-from` hit: the source itself, or an intermediate image to restore from its history. */
export type SourceMatch =
  | { kind: 'self'; source: ImageRecord }
  | {
      kind: 'restore';
      source: ImageRecord;
      configJson: string;
      layers: ImageManifestRecord['layers'];
    };

/**
 * matchSource is dockerd 20.10's `ImageCache.GetCache` over `--cache-from` images: a source whose
 * history and layers start with the parent's and whose next history entry was made by the step's
 * command. When that entry is the source's last, the source is the hit; else dockerd's
 * `restoreCachedImage` makes the intermediate image — the parent's history plus that entry, the
 * parent's layers plus its layer, the step's config — which the caller writes.
 */
export function matchSource(
  sources: readonly ImageRecord[],
  parent: ImageRecord | undefined,
  probe: RunConfig,
  layersOf: (image: ImageRecord) => ImageManifestRecord['layers'],
): SourceMatch | undefined {
  const base = parse(parent);
  const at = base.history?.length ?? 0;
  const cmd = Array.isArray(probe['Cmd']) ? (probe['Cmd'] as string[]).join(' ') : '';
  for (const source of sources) {
    const json = parse(source);
    const entry = json.history?.[at];
    if (!validParent(json, base) || entry?.created_by !== cmd) continue;
    if ((json.history?.length ?? 0) - 1 === at) return { kind: 'self', source };
    const layer = layerAt(json, at);
    const history = [...(base.history ?? []), entry];
    const diffIds = [
      ...(base.rootfs?.diff_ids ?? []),
      ...(layer === undefined ? [] : [layer.diffId]),
    ];
    const parentLayers = parent ? layersOf(parent) : [];
    const sourceLayers = layersOf(source);
    const layers = [...parentLayers, ...(layer === undefined ? [] : [sourceLayers[layer.index]!])];
    // Field order of moby's image.Image; container_config is Go's zero Config (not omitted).
    const configJson = JSON.stringify({
      created: entry.created,
      container_config: goOrdered({}),
      docker_version: dockerVersion(),
      ...(json.author ? { author: json.author } : {}),
      config: goOrdered(probe),
      architecture: json.architecture,
      os: json.os,
      rootfs: { type: 'layers', diff_ids: diffIds },
      history,
    });
    return { kind: 'restore', source, configJson, layers };
  }
  return undefined;
}

/** validParent is dockerd's `isValidParent`: the parent's history and layers begin the image's. */
function validParent(image: SourceJson, parent: SourceJson): boolean {
  const history = image.history ?? [];
  const parentHistory = parent.history ?? [];
  const layers = image.rootfs?.diff_ids ?? [];
  const parentLayers = parent.rootfs?.diff_ids ?? [];
  if (history.length === 0) return false;
  if (parentHistory.length === 0 && parentLayers.length === 0) return true;
  if (parentHistory.length >= history.length || parentLayers.length > layers.length) return false;
  if (JSON.stringify(history.slice(0, parentHistory.length)) !== JSON.stringify(parentHistory))
    return false;
  return parentLayers.every((d, i) => layers[i] === d);
}

/** layerAt is dockerd's `getLayerForHistoryIndex`: the layer history entry `at` added, if any. */
function layerAt(image: SourceJson, at: number): { diffId: string; index: number } | undefined {
  const history = image.history ?? [];
  if (history[at]?.empty_layer) return undefined;
  const index = history.slice(0, at).filter((h) => !h.empty_layer).length;
  const diffId = image.rootfs?.diff_ids?.[index];
  return diffId === undefined ? undefined : { diffId, index };
}

function parse(image: ImageRecord | undefined): SourceJson {
  return image ? (JSON.parse(image.configJson || '{}') as SourceJson) : {};
}
