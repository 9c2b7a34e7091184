export * from './resolve.messages';
