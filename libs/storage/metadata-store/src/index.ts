export * from './lib/port/metadata-store.port';
export * from './lib/port/pull-job.types';
export { SqliteMetadataStore } from './lib/sqlite/sqlite-metadata-store';
export type { SqliteMetadataStoreOptions } from './lib/sqlite/sqlite-metadata-store';
export { SCHEMA_VERSION as SQLITE_SCHEMA_VERSION } from './lib/sqlite/sqlite-schema';
export { connectMongoMetadataStore, connectMongoBatchStore } from './lib/mongo/connect-mongo';
export type {
  MongoMetadataStoreOptions,
  MongoConnectOptions,
} from './lib/mongo/mongo-metadata-store';
export * from './lib/port/batch-store.port';
export { SqliteBatchStore } from './lib/sqlite/sqlite-batch-store';
export * from './lib/port/content-lease.port';
export { SqliteContentLeaseStore } from './lib/sqlite/sqlite-content-lease-store';
export { connectMongoContentLeaseStore } from './lib/mongo/connect-mongo-content-lease-store';
