import BetterSqlite3 from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describeMetadataStoreContract, testImage } from '@stevedore/testing';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
import { summaryOf } from '../port/validation';
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

  it('lists summary columns that agree with the full records, manifests merged in', async () => {
    const store = SqliteMetadataStore.open(join(dir, 'metadata.db'));
    try {
      const a = testImage({ seed: 'a', layers: ['base', 'top a'], labels: { k: 'v' } });
      const b = testImage({ seed: 'b', layers: ['base'], created: '2025-01-01T00:00:00Z' });
      await store.putImage(a, {
        tag: 'docker.io/library/a:1',
        repoDigest: 'docker.io/library/a@' + a.manifests[0]?.digest,
      });
      await store.putImage(b);
      const second = {
        ...a.manifests[0]!,
        digest: sha256('another'),
        layers: [{ ...a.manifests[0]!.layers[0]!, size: 1 }],
      };
      await store.putImage({ ...a, manifests: [second] });
      const full = await store.listImages();
      expect(await store.listImageSummaries()).toEqual(full.map(summaryOf));
      expect((await store.listImageSummaries()).map((s) => s.id)).toEqual([b.id, a.id]);
      expect((await store.listImageSummaries())[1]?.layers[0]?.size).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('derives the summary of a row written before content_layers existed', async () => {
    const path = join(dir, 'metadata.db');
    const image = testImage({ seed: 'old row', layers: ['one', 'two'] });
    const store = SqliteMetadataStore.open(path);
    try {
      await store.putImage(image, { tag: 'docker.io/library/old:1' });
      const db = new BetterSqlite3(path);
      db.prepare('UPDATE images SET content_layers = NULL').run();
      db.close();
      expect(await store.listImageSummaries()).toEqual((await store.listImages()).map(summaryOf));
    } finally {
      await store.close();
    }
  });

  it("changes its listing version with every change, its own or another connection's", async () => {
    const path = join(dir, 'metadata.db');
    const [store, other] = [SqliteMetadataStore.open(path), SqliteMetadataStore.open(path)];
    try {
      const image = testImage({ seed: 'versioned' });
      const seen = [await store.listingVersion()];
      await store.putImage(image);
      seen.push(await store.listingVersion());
      expect(await store.listingVersion()).toBe(seen[1]);
      await store.setTag(image.id, 'docker.io/library/v:1', '2026-01-01T00:00:00Z');
      seen.push(await store.listingVersion());
      await other.removeTag('docker.io/library/v:1');
      seen.push(await store.listingVersion());
      expect(new Set(seen).size).toBe(4);
    } finally {
      await store.close();
      await other.close();
    }
  });

  it('answers the referrers of a subject from its index, not by scanning every manifest', async () => {
    const path = join(dir, 'metadata.db');
    const store = SqliteMetadataStore.open(path);
    const subject = sha256('subject');
    for (let i = 0; i < 50; i++) {
      const digest = sha256(`artifact ${i}`);
      const of = i % 10 === 0 ? subject : sha256(`other ${i}`);
      await store.putManifest({
        repository: 'team/app',
        digest,
        mediaType: 'm',
        size: i,
        subject: of,
        blobs: [],
      });
    }
    expect(await store.listReferrers('team/app', subject)).toHaveLength(5);
    await store.close();
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM repo_manifests WHERE repository = ? AND subject = ?
          AND (? IS NULL OR artifact_type = ?) ORDER BY rowid`,
        )
        .all('team/app', subject, null, null) as { detail: string }[];
      const details = plan.map((row) => row.detail).join('; ');
      expect(details).toContain('USING INDEX repo_manifests_by_subject');
      expect(details).not.toMatch(/SCAN repo_manifests(?! USING)/);
    } finally {
      db.close();
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
