import type { BatchStore } from '../port/batch-store.port';
import type { MetadataStore } from '../port/metadata-store.port';

/**
 * connectMongoMetadataStore opens the MongoDB adapter, loading mongoose only now: the embedded
 * default (SQLite) never pays its start-up memory (about 30 MB).
 */
export async function connectMongoMetadataStore(url: string): Promise<MetadataStore> {
  const { MongoMetadataStore } = await import('./mongo-metadata-store');
  return MongoMetadataStore.connect(url);
}

/** connectMongoBatchStore opens the MongoDB batch store, loading mongoose only now (see above). */
export async function connectMongoBatchStore(url: string): Promise<BatchStore> {
  const { MongoBatchStore } = await import('./mongo-batch-store');
  return MongoBatchStore.connect(url);
}
