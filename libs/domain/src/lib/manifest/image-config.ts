import { Digest } from '../digest/digest';

/** HealthConfig is Docker's `Healthcheck` block (durations in nanoseconds). */
export interface HealthConfig {
  readonly Test?: readonly string[];
  readonly Interval?: number;
  readonly Timeout?: number;
  readonly StartPeriod?: number;
  readonly StartInterval?: number;
  readonly Retries?: number;
}

/**
 * ContainerConfig is the `config` block of an image config: the defaults a container starts with.
 * Field names are the JSON names (Docker's PascalCase), so they map 1:1 onto `docker inspect`.
 */
export interface ContainerConfig {
  readonly User?: string;
  readonly ExposedPorts?: Readonly<Record<string, object>>;
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly Volumes?: Readonly<Record<string, object>>;
  readonly WorkingDir?: string;
  readonly Labels?: Readonly<Record<string, string>>;
  readonly StopSignal?: string;
  readonly ArgsEscaped?: boolean;
  readonly Healthcheck?: HealthConfig;
  readonly OnBuild?: readonly string[];
  readonly Shell?: readonly string[];
}

/** HistoryEntry is one `history[]` item; entries with `empty_layer: true` have no layer. */
export interface HistoryEntry {
  readonly created?: string;
  readonly author?: string;
  readonly created_by?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

/**
 * ImageConfig is a validated OCI/Docker image config. JSON names are kept, except that the dotted
 * platform keys `os.version` / `os.features` become `osVersion` / `osFeatures`.
 */
export interface ImageConfig {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly osVersion?: string;
  readonly osFeatures?: readonly string[];
  readonly created?: string;
  readonly author?: string;
  readonly config?: ContainerConfig;
  readonly rootfs: { readonly type: 'layers'; readonly diff_ids: readonly Digest[] };
  readonly history?: readonly HistoryEntry[];
}

/** LayerHistory pairs a history entry with the DiffID of the layer it created, if any. */
export interface LayerHistory {
  readonly entry: HistoryEntry;
  readonly diffId?: Digest;
}

/**
 * layerHistory pairs `history[]` with `rootfs.diff_ids`: the k-th entry without `empty_layer`
 * created `diff_ids[k]`. When the counts disagree no entry is attributed a layer (§6.5).
 */
export function layerHistory(config: ImageConfig): LayerHistory[] {
  const history = config.history ?? [];
  const diffIds = config.rootfs.diff_ids;
  const layered = history.filter((h) => !h.empty_layer).length;
  if (layered !== diffIds.length) return history.map((entry) => ({ entry }));
  let next = 0;
  return history.map((entry) => {
    if (entry.empty_layer) return { entry };
    const diffId = diffIds[next++];
    return diffId ? { entry, diffId } : { entry };
  });
}
