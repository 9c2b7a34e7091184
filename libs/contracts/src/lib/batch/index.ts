export * from './batch-record';
export * from './batch.messages';
export * from './lease.messages';
