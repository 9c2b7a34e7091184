export * from './blob-store.port';
export * from './blob.messages';
