export * from './archive.messages';
