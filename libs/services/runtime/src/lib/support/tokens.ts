/** RUNTIME_DATA_ROOT is the data root: `containers/`, `snapshots/`, `volumes/`, `runtime/` live under it. */
export const RUNTIME_DATA_ROOT = Symbol('RuntimeDataRoot');
