import { randomUUID } from 'node:crypto';
import { createConnection } from 'mongoose';
import { describeMetadataStoreContract } from '@stevedore/testing';
import { MongoMetadataStore } from './mongo-metadata-store';

const url = process.env['MONGODB_URL'];

// No MongoDB server exists on the development machines: without MONGODB_URL the suite is
// reported as skipped (and says why) rather than run against a fake.
if (url) {
  describeMetadataStoreContract('MongoMetadataStore', async () => {
    // A fresh database per test keeps tests independent; it is dropped afterwards.
    const connection = createConnection(url, { dbName: `stevedore_test_${randomUUID().slice(0, 8)}`, serverSelectionTimeoutMS: 10_000 });
    const store = await MongoMetadataStore.fromConnection(connection);
    return {
      store,
      dispose: async () => {
        await store.close();
        await connection.dropDatabase();
        await connection.close();
      },
    };
  });
} else {
  describe.skip('MongoMetadataStore contract (skipped: MONGODB_URL not set)', () => {
    it('runs the MetadataStore contract against MongoDB', () => undefined);
  });
}
