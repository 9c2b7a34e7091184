export * from './container.messages';
export * from './container-json';
export * from './exec.messages';
