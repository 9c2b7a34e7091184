import type { Database } from 'better-sqlite3';
import type { ContentLeaseOutcome, ContentLeaseStore } from '../port/content-lease.port';
import { distinctDigests } from '../port/content-lease-rules';
import { openBesideImages } from './sqlite-schema';

/*
 * Tables of their own beside the images (so a claim reads `image_blobs` and `repo_manifest_blobs` in the same transaction),
 * created when missing. Expiry is milliseconds since the epoch.
 *
 *   content_leases  one row per (digest, holder): many holders may lease one digest
 *   gc_marks        one row per digest being collected, by one collector
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS content_leases (
  digest TEXT NOT NULL, holder TEXT NOT NULL, expires_at INTEGER NOT NULL,
  PRIMARY KEY (digest, holder)) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS content_leases_by_holder ON content_leases(holder);
CREATE INDEX IF NOT EXISTS content_leases_by_expiry ON content_leases(expires_at);
CREATE TABLE IF NOT EXISTS gc_marks (
  digest TEXT PRIMARY KEY, collector TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS gc_marks_by_collector ON gc_marks(collector);`;

/** The statements, prepared once per connection. */
function statements(db: Database) {
  return {
    markOf: db.prepare('SELECT collector FROM gc_marks WHERE digest = ? AND expires_at > ?'),
    leased: db.prepare('SELECT 1 FROM content_leases WHERE digest = ? AND expires_at > ? LIMIT 1'),
    referenced: db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM image_blobs WHERE digest = @d)
      OR EXISTS (SELECT 1 FROM repo_manifest_blobs WHERE digest = @d)`,
      )
      .pluck(),
    lease: db.prepare(
      `INSERT INTO content_leases (digest, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (digest, holder) DO UPDATE SET expires_at = excluded.expires_at`,
    ),
    renew: db.prepare('UPDATE content_leases SET expires_at = ? WHERE holder = ?'),
    release: db.prepare('DELETE FROM content_leases WHERE holder = ?'),
    mark: db.prepare(
      `INSERT INTO gc_marks (digest, collector, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (digest) DO UPDATE SET collector = excluded.collector, expires_at = excluded.expires_at`,
    ),
    unmark: db.prepare('DELETE FROM gc_marks WHERE collector = ?'),
    sweepLeases: db.prepare('DELETE FROM content_leases WHERE expires_at <= ?'),
    sweepMarks: db.prepare('DELETE FROM gc_marks WHERE expires_at <= ?'),
  };
}

/**
 * SqliteContentLeaseStore is the embedded {@link ContentLeaseStore}, on its own connection to the
 * metadata database file. Every call is one IMMEDIATE transaction: the write lock is taken first,
 * so a lease and a claim (which reads leases, marks and `image_blobs`) are serialised, even
 * across processes sharing the file — the check and the write of each are one atomic step.
 */
export class SqliteContentLeaseStore implements ContentLeaseStore {
  private readonly sql: ReturnType<typeof statements>;

  private constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {
    this.sql = statements(db);
  }

  /**
   * SqliteContentLeaseStore.open opens the metadata database at `path` (migrating the image
   * schema the claim reads, if this is the first opener) and creates the lease tables if missing.
   */
  static open(path: string, now: () => Date = () => new Date()): SqliteContentLeaseStore {
    const db = openBesideImages(path, SCHEMA);
    return new SqliteContentLeaseStore(db, now);
  }

  async lease(
    holder: string,
    digests: readonly string[],
    ttlMs: number,
  ): Promise<ContentLeaseOutcome> {
    const wanted = distinctDigests(digests);
    return this.tx((now): ContentLeaseOutcome => {
      const collecting = wanted.filter((d) => this.sql.markOf.get(d, now) !== undefined);
      if (collecting.length > 0) return { acquired: false, collecting };
      const expiresAt = now + ttlMs;
      for (const digest of wanted) this.sql.lease.run(digest, holder, expiresAt);
      this.sql.renew.run(expiresAt, holder);
      return { acquired: true };
    });
  }

  async release(holder: string): Promise<void> {
    this.tx(() => this.sql.release.run(holder));
  }

  async claim(collector: string, digests: readonly string[], ttlMs: number): Promise<string[]> {
    const candidates = distinctDigests(digests);
    return this.tx((now) => {
      this.sql.sweepLeases.run(now);
      this.sql.sweepMarks.run(now);
      const claimed = candidates.filter((d) => this.claimable(d, collector, now));
      for (const digest of claimed) this.sql.mark.run(digest, collector, now + ttlMs);
      return claimed;
    });
  }

  async releaseClaim(collector: string): Promise<void> {
    this.tx(() => this.sql.unmark.run(collector));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private claimable(digest: string, collector: string, now: number): boolean {
    const mark = this.sql.markOf.get(digest, now) as { collector: string } | undefined;
    if (mark && mark.collector !== collector) return false;
    return (
      this.sql.leased.get(digest, now) === undefined && this.sql.referenced.get({ d: digest }) === 0
    );
  }

  /** tx runs `work` in an IMMEDIATE transaction, with the clock read once for the whole step. */
  private tx<T>(work: (now: number) => T): T {
    return this.db.transaction(() => work(this.now().getTime())).immediate();
  }
}
