import { Connection, createConnection } from 'mongoose';
import type { BlobLinkStore, BlobMembership } from '../port/blob-link.port';
import { assertLinks, assertMembership, isUnderName } from '../port/blob-link-rules';
import { guarded } from './mongo-mapping';

/** LinkDoc links blob `digest` into `/v2/` repository `repository` (`repo_blob_links`, unique on both). */
interface LinkDoc {
  repository: string;
  digest: string;
}

/**
 * MongoBlobLinkStore is the {@link BlobLinkStore} for replicated metadata: links in their own
 * collection; membership reads them, the repository manifests (`manifests`, by repository and
 * blob) and the images (`images.blobs`, multikey indexed) with their references (`refs`).
 */
export class MongoBlobLinkStore implements BlobLinkStore {
  private constructor(private readonly connection: Connection) {}

  /** MongoBlobLinkStore.connect opens its own connection to `url` and makes its index. */
  static async connect(url: string, dbName?: string): Promise<MongoBlobLinkStore> {
    const connection = createConnection(url, {
      serverSelectionTimeoutMS: 10_000,
      ...(dbName ? { dbName } : {}),
    });
    return guarded(async () => {
      await connection.asPromise();
      const store = new MongoBlobLinkStore(connection);
      await store.links.createIndex({ repository: 1, digest: 1 }, { unique: true });
      return store;
    });
  }

  private get links() {
    return this.connection.collection<LinkDoc>('repo_blob_links');
  }

  async link(repository: string, digests: readonly string[]): Promise<void> {
    const wanted = assertLinks(repository, digests);
    if (wanted.length === 0) return;
    await guarded(() =>
      this.links.bulkWrite(
        wanted.map((digest) => ({
          updateOne: {
            filter: { repository, digest },
            update: { $setOnInsert: { repository, digest } },
            upsert: true,
          },
        })),
        { ordered: false },
      ),
    );
  }

  async isMember(query: BlobMembership): Promise<boolean> {
    const { repository, digest, names } = assertMembership(query);
    return guarded(async () => {
      if (await this.links.findOne({ repository, digest }, { projection: { _id: 1 } })) return true;
      const manifests = this.connection.collection('manifests');
      if (await manifests.findOne({ repository, blobs: digest }, { projection: { _id: 1 } }))
        return true;
      if (names.length === 0) return false;
      const images = await this.connection.collection('images').distinct('_id', { blobs: digest });
      if (images.length === 0) return false;
      const refs = this.connection.collection<{ _id: string }>('refs');
      const found = await refs.find({ imageId: { $in: images } }, { projection: { _id: 1 } });
      for await (const ref of found) if (isUnderName(ref._id, names)) return true;
      return false;
    });
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
