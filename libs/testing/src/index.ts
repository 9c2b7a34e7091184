export * from './lib/contracts/blob-store.contract';
export * from './lib/registry/registry.types';
export { startRegistry, blobDataPath, DEFAULT_USERNAME, DEFAULT_PASSWORD, TOKEN_SERVICE, TOKEN_ISSUER } from './lib/registry/start-registry';
export * from './lib/contracts/metadata-store.contract';
