export * from './lib/errors/error-codes';
export * from './lib/errors/domain-error';
export * from './lib/errors/system-errors';
export * from './lib/digest/digest';
export * from './lib/digest/digester';
export * from './lib/digest/well-known';
export { chainId, chainIds } from './lib/digest/chain-id';
export {
  REFERENCE_RE,
  NAME_RE,
  TAG_RE,
  IMAGE_ID_RE,
  DEFAULT_DOMAIN,
  DEFAULT_TAG,
  NAME_MAX_LENGTH,
} from './lib/reference/grammar';
export * from './lib/reference/reference';
export * from './lib/reference/parse-reference';
export * from './lib/reference/image-lookup';
export * from './lib/media-types/media-types';
export * from './lib/platform/platform';
export type { Descriptor } from './lib/manifest/descriptor';
export { parseDescriptor } from './lib/manifest/descriptor';
export type { JsonObject } from './lib/manifest/json-reader';
export type {
  ImageManifest,
  ImageIndex,
  StoredDocument,
  ParsedManifest,
} from './lib/manifest/documents';
export type { ParseDocumentOptions } from './lib/manifest/parse-manifest';
export { parseManifest } from './lib/manifest/parse-manifest';
export * from './lib/manifest/image-config';
export * from './lib/manifest/content-layers';
export * from './lib/manifest/parse-image-config';
export * from './lib/platform/matcher';
export * from './lib/platform/select-manifest';
export * from './lib/platform/host-platform';
export * from './lib/changes/apply-changes';
export { goQuote } from './lib/errors/go-quote';
export * from './lib/listing/newest-first';
