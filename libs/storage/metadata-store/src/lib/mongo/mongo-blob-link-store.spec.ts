import { randomUUID } from 'node:crypto';
import { describeBlobLinkStoreContract } from '../../test/blob-link-store.contract';
import { MongoBlobLinkStore } from './mongo-blob-link-store';
import { MongoMetadataStore } from './mongo-metadata-store';

const url = process.env['MONGODB_URL'];

// No MongoDB server exists on the development machines: without MONGODB_URL the suite is reported
// as skipped (by name), never faked. Each run uses a database of its own.
if (url) {
  describeBlobLinkStoreContract('MongoDB', async () => {
    const dbName = `stevedore-links-${randomUUID().slice(0, 8)}`;
    const images = await MongoMetadataStore.connect(url, { dbName });
    const links = await MongoBlobLinkStore.connect(url, dbName);
    return {
      images,
      links,
      reopen: () => MongoBlobLinkStore.connect(url, dbName),
      dispose: async () => {
        await links.close();
        await images.close();
      },
    };
  });
} else {
  describe.skip('BlobLinkStore contract: MongoDB (skipped: MONGODB_URL not set)', () => {
    it('runs when MONGODB_URL names a MongoDB server', () => undefined);
  });
}
