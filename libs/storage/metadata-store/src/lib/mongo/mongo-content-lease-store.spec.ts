import { randomUUID } from 'node:crypto';
import { describeContentLeaseStoreContract } from '../../test/content-lease-store.contract';
import { MongoContentLeaseStore } from './mongo-content-lease-store';
import { MongoMetadataStore } from './mongo-metadata-store';

const url = process.env['MONGODB_URL'];

// No MongoDB server exists on the development machines: without MONGODB_URL the suite is reported
// as skipped (by name), never faked. Each run uses a database of its own.
if (url) {
  describeContentLeaseStoreContract('MongoDB', async (clock) => {
    const dbName = `stevedore-leases-${randomUUID().slice(0, 8)}`;
    const images = await MongoMetadataStore.connect(url, { dbName });
    const leases = await MongoContentLeaseStore.connect(url, clock.now, dbName);
    return {
      images,
      leases,
      dispose: async () => {
        await leases.close();
        await images.close();
      },
    };
  });
} else {
  describe.skip('ContentLeaseStore contract: MongoDB (skipped: MONGODB_URL not set)', () => {
    it('runs when MONGODB_URL names a MongoDB server', () => undefined);
  });
}
