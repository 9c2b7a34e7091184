export * from './validators';
export * from './descriptor.dto';
