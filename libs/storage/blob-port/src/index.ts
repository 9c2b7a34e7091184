export * from './lib/blob-store.port';
export * from './lib/open-ingest';
export * from './lib/write-blob';
export * from './lib/blob-uploads.port';
export * from './lib/read-small-blob';
export * from './lib/byte-range';
