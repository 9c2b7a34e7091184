export * from './resolve.messages';
export * from './tags.messages';
