import { describeBlobStoreContract } from '@stevedore/testing';
import { MemoryBlobStore } from './memory-blob-store';

// The archive tests lean on this fake to prove that a rejected load leaves nothing behind, so the
// fake itself must behave like the real stores: it passes the same port contract they pass.
describeBlobStoreContract('archive tests MemoryBlobStore', async () => ({
  store: new MemoryBlobStore(),
  dispose: async () => undefined,
}));
