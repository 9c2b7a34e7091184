export * from './stream.messages';
