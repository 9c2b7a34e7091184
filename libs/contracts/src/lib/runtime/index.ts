export * from './container.messages';
export * from './container-json';
export * from './exec.messages';
export * from './runtime-info.messages';
