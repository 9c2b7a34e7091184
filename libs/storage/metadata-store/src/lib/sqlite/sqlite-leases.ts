import type { Database } from 'better-sqlite3';

/** LEASES_SCHEMA creates the `leases` table, kept in the metadata database file beside the batches. */
export const LEASES_SCHEMA = `
CREATE TABLE IF NOT EXISTS leases (key TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TEXT NOT NULL);`;

/**
 * SqliteLeases keeps the leases and slots of {@link BatchStore} (the fetchers' blob leases and
 * per-registry slots): one row per key, taken or renewed by a conditional upsert.
 */
export class SqliteLeases {
  // Prepared once: a pull asks for a lease and a slot per blob, and preparing cost more than running.
  private readonly statements: ReturnType<typeof prepare>;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {
    this.statements = prepare(db);
  }

  async acquire(
    key: string,
    holder: string,
    ttlMs: number,
  ): Promise<{ acquired: boolean; holder: string; expiresAt: string }> {
    return this.db.transaction(() => {
      this.take(key, holder, ttlMs);
      const row = this.statements.holderOf.get(key) as { holder: string; expires_at: string };
      return { acquired: row.holder === holder, holder: row.holder, expiresAt: row.expires_at };
    })();
  }

  async get(key: string): Promise<{ holder: string; expiresAt: string } | undefined> {
    const row = this.statements.live.get(key, this.now().toISOString()) as
      { holder: string; expires_at: string } | undefined;
    return row ? { holder: row.holder, expiresAt: row.expires_at } : undefined;
  }

  async acquireSlot(
    scope: string,
    holder: string,
    limit: number,
    ttlMs: number,
  ): Promise<string | undefined> {
    return this.db.transaction(() => {
      for (let i = 0; i < limit; i += 1) {
        const key = `${scope}#${i}`;
        if (this.take(key, holder, ttlMs)) return key;
      }
      return undefined;
    })();
  }

  async release(key: string, holder: string): Promise<void> {
    this.statements.release.run(key, holder);
  }

  /** take grants or renews `key` for `holder` when free, expired or already its own (call inside a transaction). */
  private take(key: string, holder: string, ttlMs: number): boolean {
    const now = this.now();
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    return this.statements.take.run(key, holder, expiresAt, now.toISOString()).changes > 0;
  }
}

function prepare(db: Database) {
  return {
    holderOf: db.prepare('SELECT holder, expires_at FROM leases WHERE key = ?'),
    live: db.prepare('SELECT holder, expires_at FROM leases WHERE key = ? AND expires_at >= ?'),
    release: db.prepare('DELETE FROM leases WHERE key = ? AND holder = ?'),
    take: db.prepare(
      `INSERT INTO leases (key, holder, expires_at) VALUES (?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE leases.holder = excluded.holder OR leases.expires_at < ?`,
    ),
  };
}
