export * from './lib/container-io.port';
