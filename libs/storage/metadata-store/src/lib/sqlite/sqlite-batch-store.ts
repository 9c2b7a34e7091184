import BetterSqlite3, { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  BATCH_ITEM_STATES,
  BatchItemRecord,
  BatchItemState,
  BatchRecord,
} from '@stevedore/contracts';
import { DomainError, ErrorCode } from '@stevedore/domain';
import type { BatchStore, ItemClaim, ItemUpdate } from '../port/batch-store.port';
import { LEASES_SCHEMA, SqliteLeases } from './sqlite-leases';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS batches (
  id TEXT PRIMARY KEY, platform TEXT, created_at TEXT NOT NULL, finished_at TEXT);
CREATE TABLE IF NOT EXISTS batch_items (
  batch_id TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
  reference TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  current INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0, image_id TEXT,
  error_code TEXT, error_message TEXT, started_at TEXT, finished_at TEXT, heartbeat_at TEXT,
  PRIMARY KEY (batch_id, idx));`;

interface ItemRow {
  idx: number;
  reference: string;
  state: BatchItemState;
  attempts: number;
  current: number;
  total: number;
  image_id: string | null;
  error_code: string | null;
  error_message: string | null;
  started_at: string | null;
  finished_at: string | null;
}
interface BatchRow {
  id: string;
  platform: string | null;
  created_at: string;
  finished_at: string | null;
}

/**
 * SqliteBatchStore keeps batches in the metadata database file (tables of their own, WAL); its
 * leases and slots are {@link SqliteLeases} on the same file.
 */
export class SqliteBatchStore implements BatchStore {
  private readonly leases: SqliteLeases;

  private constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {
    this.leases = new SqliteLeases(db, now);
  }

  static open(path: string, now: () => Date = () => new Date()): SqliteBatchStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new BetterSqlite3(path, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA + LEASES_SCHEMA);
    return new SqliteBatchStore(db, now);
  }

  async createBatch(references: readonly string[], platform?: string): Promise<BatchRecord> {
    const id = randomUUID();
    const insertItem = this.db.prepare(
      'INSERT INTO batch_items (batch_id, idx, reference, state) VALUES (?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO batches (id, platform, created_at) VALUES (?, ?, ?)')
        .run(id, platform ?? null, this.now().toISOString());
      references.forEach((ref, i) => insertItem.run(id, i, ref, 'queued'));
    })();
    return this.require(id);
  }

  async getBatch(id: string): Promise<BatchRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM batches WHERE id = ?').get(id) as
      BatchRow | undefined;
    return row ? this.toRecord(row) : undefined;
  }

  async listBatches(): Promise<BatchRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM batches ORDER BY created_at DESC, id')
      .all() as BatchRow[];
    return rows.map((row) => this.toRecord(row));
  }

  async cancelBatch(id: string): Promise<BatchRecord> {
    this.db.transaction(() => {
      this.require(id);
      this.db
        .prepare(
          "UPDATE batch_items SET state = 'cancelled', finished_at = ? WHERE batch_id = ? AND state = 'queued'",
        )
        .run(this.now().toISOString(), id);
      this.finishIfDone(id);
    })();
    return this.require(id);
  }

  async claimItem(batchId: string, index: number, staleAfterMs: number): Promise<ItemClaim> {
    return this.db.transaction((): ItemClaim => {
      const now = this.now();
      const staleBefore = new Date(now.getTime() - staleAfterMs).toISOString();
      const changed = this.db
        .prepare(
          `UPDATE batch_items SET state = 'running', attempts = attempts + 1, current = 0, started_at = ?, heartbeat_at = ?
          WHERE batch_id = ? AND idx = ? AND (state = 'queued' OR (state = 'running' AND heartbeat_at < ?))`,
        )
        .run(now.toISOString(), now.toISOString(), batchId, index, staleBefore).changes;
      const row = this.db
        .prepare('SELECT attempts, state FROM batch_items WHERE batch_id = ? AND idx = ?')
        .get(batchId, index) as { attempts: number; state: BatchItemState } | undefined;
      if (!row) throw DomainError.notFound(`no item ${index} in batch ${batchId}`);
      return { claimed: changed > 0, attempts: row.attempts, state: row.state };
    })();
  }

  async updateItem(batchId: string, index: number, update: ItemUpdate): Promise<void> {
    this.db.transaction(() => {
      const ended = update.state === 'done' || update.state === 'failed';
      const changed = this.db
        .prepare(
          `UPDATE batch_items SET state = ?, current = COALESCE(?, current), total = COALESCE(?, total),
          image_id = COALESCE(?, image_id), error_code = COALESCE(?, error_code), error_message = COALESCE(?, error_message),
          finished_at = ?, heartbeat_at = ? WHERE batch_id = ? AND idx = ? AND state IN ('running', 'queued')`,
        )
        .run(
          update.state,
          update.current ?? null,
          update.total ?? null,
          update.imageId ?? null,
          update.error?.code ?? null,
          update.error?.message ?? null,
          ended ? this.now().toISOString() : null,
          this.now().toISOString(),
          batchId,
          index,
        ).changes;
      if (
        changed === 0 &&
        !this.db
          .prepare('SELECT 1 FROM batch_items WHERE batch_id = ? AND idx = ?')
          .get(batchId, index)
      ) {
        throw DomainError.notFound(`no item ${index} in batch ${batchId}`);
      }
      this.finishIfDone(batchId);
    })();
  }

  async acquireLease(
    key: string,
    holder: string,
    ttlMs: number,
  ): Promise<{ acquired: boolean; holder: string; expiresAt: string }> {
    return this.leases.acquire(key, holder, ttlMs);
  }

  async getLease(key: string): Promise<{ holder: string; expiresAt: string } | undefined> {
    return this.leases.get(key);
  }

  async acquireSlot(
    scope: string,
    holder: string,
    limit: number,
    ttlMs: number,
  ): Promise<string | undefined> {
    return this.leases.acquireSlot(scope, holder, limit, ttlMs);
  }

  async releaseLease(key: string, holder: string): Promise<void> {
    return this.leases.release(key, holder);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private finishIfDone(id: string): void {
    const open = this.db
      .prepare(
        "SELECT COUNT(*) AS n FROM batch_items WHERE batch_id = ? AND state IN ('queued', 'running')",
      )
      .get(id) as { n: number };
    if (open.n === 0)
      this.db
        .prepare('UPDATE batches SET finished_at = COALESCE(finished_at, ?) WHERE id = ?')
        .run(this.now().toISOString(), id);
  }

  private require(id: string): BatchRecord {
    const row = this.db.prepare('SELECT * FROM batches WHERE id = ?').get(id) as
      BatchRow | undefined;
    if (!row) throw DomainError.notFound(`no such batch: ${id}`);
    return this.toRecord(row);
  }

  private toRecord(row: BatchRow): BatchRecord {
    const items = (
      this.db
        .prepare('SELECT * FROM batch_items WHERE batch_id = ? ORDER BY idx')
        .all(row.id) as ItemRow[]
    ).map(toItem);
    const totals = Object.fromEntries(
      BATCH_ITEM_STATES.map((s) => [s, items.filter((i) => i.state === s).length]),
    ) as Record<BatchItemState, number>;
    return {
      id: row.id,
      ...(row.platform ? { platform: row.platform } : {}),
      createdAt: row.created_at,
      ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
      totals,
      items,
    };
  }
}

function toItem(row: ItemRow): BatchItemRecord {
  return {
    index: row.idx,
    reference: row.reference,
    state: row.state,
    attempts: row.attempts,
    current: row.current,
    total: row.total,
    ...(row.image_id ? { imageId: row.image_id } : {}),
    ...(row.error_code
      ? { error: { code: row.error_code as ErrorCode, message: row.error_message ?? '' } }
      : {}),
    ...(row.started_at ? { startedAt: row.started_at } : {}),
    ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
  };
}
