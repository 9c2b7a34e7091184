export * from './blob.messages';
