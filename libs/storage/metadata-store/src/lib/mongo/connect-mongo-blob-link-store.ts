import type { BlobLinkStore } from '../port/blob-link.port';

/**
 * connectMongoBlobLinkStore opens the MongoDB blob link store, loading mongoose only now: the
 * embedded default (SQLite) never pays its start-up memory.
 */
export async function connectMongoBlobLinkStore(url: string): Promise<BlobLinkStore> {
  const { MongoBlobLinkStore } = await import('./mongo-blob-link-store');
  return MongoBlobLinkStore.connect(url);
}
