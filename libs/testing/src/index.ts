export * from './lib/contracts/blob-store.contract';
export * from './lib/contracts/blob-follow.contract';
export * from './lib/contracts/blob-send.contract';
export * from './lib/registry/registry.types';
export {
  startRegistry,
  blobDataPath,
  DEFAULT_USERNAME,
  DEFAULT_PASSWORD,
  TOKEN_SERVICE,
  TOKEN_ISSUER,
} from './lib/registry/start-registry';
export * from './lib/fixtures/fixture.types';
export { pushFixtures } from './lib/fixtures/push-fixtures';
export { randomBlob, randomBlobStream, SeededRandom } from './lib/fixtures/random-blob';
export { MULTI_LAYER_SEED, MULTI_ARCH_PLATFORMS } from './lib/fixtures/build-fixtures';
export { skopeoCopy, skopeoRawManifest, SKOPEO } from './lib/fixtures/skopeo';
export type { SkopeoCopyOptions } from './lib/fixtures/skopeo';
export * from './lib/contracts/metadata-store.contract';
export * from './lib/fault/fault.types';
export { startHttpFaultProxy } from './lib/fault/http-fault-proxy';
export { startTcpFaultProxy } from './lib/fault/tcp-fault-proxy';
export { MemoryBlobStore } from './lib/contracts/memory-blob-store';
export { freePort } from './lib/support/net';
