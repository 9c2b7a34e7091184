export * from './pull.messages';
