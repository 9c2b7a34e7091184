export * from './lib/layout';
export * from './lib/snapshotter';
export * from './lib/rootfs';
export { entryPath } from './lib/safe-path';
