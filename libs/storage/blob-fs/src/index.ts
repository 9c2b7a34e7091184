export * from './lib/fs-blob-store';
export * from './lib/layout';
export type { IngestLimits } from './lib/stale-ingests';
export type { ReclaimedIngests } from './lib/reclaim-ingests';
export * from './lib/fs-uploads';
