export * from './lib/protocol';
export * from './lib/http-blob-store';
export * from './lib/blob-client.module';
export * from './lib/http-blob-uploads';
