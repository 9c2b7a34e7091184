import type { RunConfig } from '../steps/run-config';

/** CachedImage is what the cache needs of an image record. */
export interface CachedImage {
  id: string;
  configJson: string;
}

interface ImageJson {
  created?: string;
  container_config?: RunConfig;
  history?: { empty_layer?: boolean }[];
  rootfs?: { diff_ids?: string[] };
}

/**
 * findCached is dockerd's classic cache probe (`getLocalCachedImage`): among the images built
 * on `parent` (undefined: `FROM scratch`), the newest whose container config matches `probe`
 * as dockerd's `compare` does. An image's parent is told from its config, as dockerd does for
 * `--cache-from` images: one more history entry than the parent, the same entries before it,
 * the parent's layers plus the step's own (none for an empty layer).
 */
export function findCached(
  images: readonly CachedImage[],
  parent: CachedImage | undefined,
  probe: RunConfig,
): string | undefined {
  const base: ImageJson = parent ? (JSON.parse(parent.configJson) as ImageJson) : {};
  let best: { id: string; created: string } | undefined;
  for (const image of images) {
    const json = JSON.parse(image.configJson) as ImageJson;
    if (!json.container_config || !isChildOf(json, base)) continue;
    if (!sameConfig(json.container_config, probe)) continue;
    const created = json.created ?? '';
    if (!best || best.created < created) best = { id: image.id, created };
  }
  return best?.id;
}

export function isChildOf(child: ImageJson, parent: ImageJson): boolean {
  const history = child.history ?? [];
  const parentHistory = parent.history ?? [];
  if (history.length !== parentHistory.length + 1) return false;
  if (JSON.stringify(history.slice(0, -1)) !== JSON.stringify(parentHistory)) return false;
  const layers = child.rootfs?.diff_ids ?? [];
  const parentLayers = parent.rootfs?.diff_ids ?? [];
  const own = history[history.length - 1]?.empty_layer ? 0 : 1;
  if (layers.length !== parentLayers.length + own) return false;
  return parentLayers.every((d, i) => layers[i] === d);
}

/** sameConfig is dockerd's `compare(a, b)` of two container configs. */
export function sameConfig(a: RunConfig, b: RunConfig): boolean {
  for (const key of ['OpenStdin', 'AttachStdout', 'AttachStderr', 'Tty'])
    if (Boolean(a[key]) !== Boolean(b[key])) return false;
  if ((a['User'] ?? '') !== (b['User'] ?? '')) return false;
  if (!sameList(a['Cmd'], b['Cmd']) || !sameList(a['Env'], b['Env'])) return false;
  if (!sameList(a['Entrypoint'], b['Entrypoint'])) return false;
  const labelsA = map(a['Labels']);
  const labelsB = map(b['Labels']);
  if (Object.keys(labelsA).length !== Object.keys(labelsB).length) return false;
  if (Object.entries(labelsA).some(([k, v]) => labelsB[k] !== v)) return false;
  return sameKeys(a['ExposedPorts'], b['ExposedPorts']) && sameKeys(a['Volumes'], b['Volumes']);
}

function sameList(a: unknown, b: unknown): boolean {
  const x = Array.isArray(a) ? (a as unknown[]) : [];
  const y = Array.isArray(b) ? (b as unknown[]) : [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function sameKeys(a: unknown, b: unknown): boolean {
  const x = Object.keys(map(a));
  const y = map(b);
  return x.length === Object.keys(y).length && x.every((k) => k in y);
}

function map(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * isAncestorOrSelf says whether `image` is `of` or one of its ancestors (its history and layers
 * are a prefix of `of`'s): what dockerd accepts from the local cache when `--cache-from` names
 * images (a hit must lie on one of their chains).
 */
export function isAncestorOrSelf(image: CachedImage, of: CachedImage): boolean {
  if (image.id === of.id) return true;
  const a = JSON.parse(image.configJson) as ImageJson;
  const b = JSON.parse(of.configJson) as ImageJson;
  const ha = a.history ?? [];
  const hb = b.history ?? [];
  if (ha.length > hb.length || JSON.stringify(hb.slice(0, ha.length)) !== JSON.stringify(ha))
    return false;
  const la = a.rootfs?.diff_ids ?? [];
  const lb = b.rootfs?.diff_ids ?? [];
  return la.length <= lb.length && la.every((d, i) => lb[i] === d);
}
