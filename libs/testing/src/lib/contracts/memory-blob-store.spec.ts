import { describeBlobStoreContract } from './blob-store.contract';
import { MemoryBlobStore } from './memory-blob-store';

describeBlobStoreContract('in-memory fake', async () => ({
  store: new MemoryBlobStore(),
  dispose: async () => undefined,
}));
