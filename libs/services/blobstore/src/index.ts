export * from './lib/blobstore-service.module';
export type { InternalEndpoint } from './lib/internal-http/internal-blob.server';
