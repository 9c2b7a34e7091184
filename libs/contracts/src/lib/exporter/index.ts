export * from './archive.messages';
export * from './push.messages';
