export * from './lib/fs-blob-store';
export * from './lib/layout';
