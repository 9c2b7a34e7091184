export * from './validators';
export * from './descriptor.dto';
export * from './ping.messages';
