export * from './batch-record';
export * from './batch.messages';
