export * from './lib/contracts/blob-store.contract';
