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

  it('keeps images and tags across a reopen', async () => {
    const path = join(dir, 'metadata.db');
    const image = testImage({ seed: 'persisted' });
    const first = SqliteMetadataStore.open(path);
    await first.putImage(image, { tag: 'docker.io/library/app:1' });
    await first.close();
    const second = SqliteMetadataStore.open(path);
    try {
      expect((await second.findImageByTag('docker.io/library/app:1'))?.id).toBe(image.id);
    } finally {
      await second.close();
    }
  });

  it('opens a file made when version 1 still created the pull-job tables, and leaves them be', async () => {
    const path = join(dir, 'metadata.db');
    await SqliteMetadataStore.open(path).close();
    const old = new BetterSqlite3(path);
    old.exec(`CREATE TABLE jobs (id TEXT PRIMARY KEY, reference TEXT NOT NULL) STRICT;
      CREATE TABLE job_blobs (job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE) STRICT;
      INSERT INTO jobs VALUES ('job', 'docker.io/library/app:1');`);
    old.close();
    const store = SqliteMetadataStore.open(path);
    try {
      const image = testImage({ seed: 'after' });
      await store.putImage(image, { tag: 'docker.io/library/app:1' });
      expect((await store.findImageByTag('docker.io/library/app:1'))?.id).toBe(image.id);
    } finally {
      await store.close();
    }
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT id FROM jobs').all()).toEqual([{ id: 'job' }]);
    } finally {
      db.close();
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
