import { randomUUID } from 'node:crypto';
import { describeBatchStoreContract } from '../../test/batch-store.contract';
import { MongoBatchStore } from './mongo-batch-store';

const url = process.env['MONGODB_URL'];

// No MongoDB server exists on the development machines: without MONGODB_URL the suite is reported
// as skipped (by name), never faked. Each run uses a database of its own.
if (url) {
  describeBatchStoreContract('MongoDB', async (clock) =>
    MongoBatchStore.connect(url, clock.now, `stevedore-batches-${randomUUID()}`),
  );
} else {
  describe.skip('BatchStore contract: MongoDB (skipped: MONGODB_URL not set)', () => {
    it('runs when MONGODB_URL names a MongoDB server', () => undefined);
  });
}
