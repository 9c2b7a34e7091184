import { describeBatchStoreContract } from '../../test/batch-store.contract';
import { SqliteBatchStore } from './sqlite-batch-store';

describeBatchStoreContract('SQLite (real, in memory)', async (clock) =>
  SqliteBatchStore.open(':memory:', clock.now),
);
