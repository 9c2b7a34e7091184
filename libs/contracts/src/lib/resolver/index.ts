export * from './resolve.messages';
export * from './tags.messages';
export * from './login.messages';
export * from './search.messages';
export * from './distribution.messages';
export * from './registry-config.messages';
