export * from './lib/common';
export * from './lib/blobstore';
export * from './lib/metadata';
export * from './lib/resolver';
export * from './lib/fetcher';
export * from './lib/exporter';
export * from './lib/batch';
export * from './lib/bus';
