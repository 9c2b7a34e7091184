export * from './lib/blobstore-service.module';
export { ListenAddress } from './lib/internal-http/internal-blob.server';
