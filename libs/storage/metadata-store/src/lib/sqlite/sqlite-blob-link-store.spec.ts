import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBlobLinkStoreContract } from '../../test/blob-link-store.contract';
import { SqliteBlobLinkStore } from './sqlite-blob-link-store';
import { SqliteMetadataStore } from './sqlite-metadata-store';

// A file, not `:memory:`: the link store reads the image tables over its own connection.
describeBlobLinkStoreContract('SQLite (real, on disk)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blob-links-'));
  const path = join(dir, 'metadata.db');
  const images = SqliteMetadataStore.open(path);
  const links = SqliteBlobLinkStore.open(path);
  return {
    images,
    links,
    reopen: async () => SqliteBlobLinkStore.open(path),
    dispose: async () => {
      await links.close();
      await images.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteBlobLinkStore.open', () => {
  it('creates the image schema membership reads when it is the first to open the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'blob-links-first-'));
    const links = SqliteBlobLinkStore.open(join(dir, 'nested', 'metadata.db'));
    try {
      const query = { repository: 'a', digest: `sha256:${'d'.repeat(64)}`, names: ['h/a'] };
      expect(await links.isMember(query)).toBe(false);
    } finally {
      await links.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
