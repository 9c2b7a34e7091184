import BetterSqlite3 from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMetadataStoreContract, testImage } from '@stevedore/testing';
import { SqliteMetadataStore } from './sqlite-metadata-store';
import { SCHEMA_VERSION } from './sqlite-schema';

describeMetadataStoreContract('SqliteMetadataStore (:memory:)', async () => {
  const store = SqliteMetadataStore.open(':memory:');
  return { store, dispose: () => store.close() };
});

describe('SqliteMetadataStore on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metadata-sqlite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the file and its directory, in WAL mode at the current schema version', async () => {
    const path = join(dir, 'nested', 'metadata.db');
    const store = SqliteMetadataStore.open(path);
    await store.close();
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('keeps images, tags and jobs across a reopen', async () => {
    const path = join(dir, 'metadata.db');
    const image = testImage({ seed: 'persisted' });
    const first = SqliteMetadataStore.open(path);
    await first.putImage(image, { tag: 'docker.io/library/app:1' });
    await first.createJob({ id: 'job', reference: 'docker.io/library/app:1', blobs: [] });
    await first.close();
    const second = SqliteMetadataStore.open(path);
    try {
      expect((await second.findImageByTag('docker.io/library/app:1'))?.id).toBe(image.id);
      expect((await second.getJob('job'))?.state).toBe('running');
    } finally {
      await second.close();
    }
  });

  it('sees changes another connection to the same file commits', async () => {
    const path = join(dir, 'metadata.db');
    const [writer, reader] = [SqliteMetadataStore.open(path), SqliteMetadataStore.open(path)];
    try {
      const image = testImage({ seed: 'shared file' });
      await writer.putImage(image);
      expect((await reader.getImage(image.id))?.id).toBe(image.id);
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('refuses a database written by a newer schema instead of guessing', async () => {
    const path = join(dir, 'metadata.db');
    const db = new BetterSqlite3(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => SqliteMetadataStore.open(path)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED' }),
    );
  });
});
