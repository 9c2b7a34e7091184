export * from './lib/gateway-http.module';
export { configureEngineApi } from './lib/engine/configure-engine-api';
export { serveUnixSocket } from './lib/engine/unix-socket';
export { resolveMinApiVersion } from './lib/engine/api-version';
export { BUILD_INFO } from './lib/build-info';
export type { BuildInfo } from './lib/build-info';
export * from './lib/registry';
export { registryHooks, registryModule } from './lib/registry-auth/registry-hooks';
