import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeContentLeaseStoreContract } from '../../test/content-lease-store.contract';
import { SqliteContentLeaseStore } from './sqlite-content-lease-store';
import { SqliteMetadataStore } from './sqlite-metadata-store';

// A file, not `:memory:`: the lease store reads the image tables over its own connection.
describeContentLeaseStoreContract('SQLite (real, on disk)', async (clock) => {
  const dir = await mkdtemp(join(tmpdir(), 'content-leases-'));
  const path = join(dir, 'metadata.db');
  const images = SqliteMetadataStore.open(path);
  const leases = SqliteContentLeaseStore.open(path, clock.now);
  return {
    images,
    leases,
    dispose: async () => {
      await leases.close();
      await images.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteContentLeaseStore.open', () => {
  it('creates the image schema the claim reads when it is the first to open the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'content-leases-first-'));
    const leases = SqliteContentLeaseStore.open(join(dir, 'nested', 'metadata.db'));
    try {
      expect(await leases.claim('gc', [`sha256:${'d'.repeat(64)}`], 1000)).toHaveLength(1);
    } finally {
      await leases.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
