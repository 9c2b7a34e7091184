import type { ContentLeaseStore } from '../port/content-lease.port';

/**
 * connectMongoContentLeaseStore opens the MongoDB content lease store, loading mongoose only now:
 * the embedded default (SQLite) never pays its start-up memory.
 */
export async function connectMongoContentLeaseStore(url: string): Promise<ContentLeaseStore> {
  const { MongoContentLeaseStore } = await import('./mongo-content-lease-store');
  return MongoContentLeaseStore.connect(url);
}
