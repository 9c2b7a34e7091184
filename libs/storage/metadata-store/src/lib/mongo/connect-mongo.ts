import type { MetadataStore } from '../port/metadata-store.port';

/**
 * connectMongoMetadataStore opens the MongoDB adapter, loading mongoose only now: the embedded
 * default (SQLite) never pays its start-up memory (about 30 MB).
 */
export async function connectMongoMetadataStore(url: string): Promise<MetadataStore> {
  const { MongoMetadataStore } = await import('./mongo-metadata-store');
  return MongoMetadataStore.connect(url);
}
