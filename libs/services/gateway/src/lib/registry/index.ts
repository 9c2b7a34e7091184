export * from './registry-access';
export * from './registry-miss';
export * from './registry-error';
export * from './registry.module';
export * from './registry-server';
export * from './serve-registry';
