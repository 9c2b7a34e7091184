import { randomUUID } from 'node:crypto';
import { Connection, createConnection } from 'mongoose';
import {
  BATCH_ITEM_STATES,
  BatchItemRecord,
  BatchItemState,
  BatchRecord,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import type { BatchStore, ItemClaim, ItemUpdate } from '../port/batch-store.port';
import { MongoLeases } from './mongo-leases';

interface ItemDoc {
  index: number;
  reference: string;
  state: BatchItemState;
  attempts: number;
  current: number;
  total: number;
  imageId?: string;
  error?: { code: string; message: string };
  startedAt?: string;
  finishedAt?: string;
  heartbeatAt?: string;
}
interface BatchDoc {
  _id: string;
  platform?: string;
  createdAt: string;
  finishedAt?: string;
  items: ItemDoc[];
}

const OPEN: BatchItemState[] = ['queued', 'running'];

/**
 * MongoBatchStore keeps batches for replicated metadata: one document per batch with its items
 * embedded, each change one conditional update on the item (`items.<index>`), so replicas never
 * need a transaction; leases and slots are {@link MongoLeases} on the same connection.
 */
export class MongoBatchStore implements BatchStore {
  private readonly leases: MongoLeases;

  private constructor(
    private readonly connection: Connection,
    private readonly owns: boolean,
    private readonly now: () => Date,
  ) {
    this.leases = new MongoLeases(connection, now);
  }

  static async connect(
    url: string,
    now: () => Date = () => new Date(),
    dbName?: string,
  ): Promise<MongoBatchStore> {
    const connection = createConnection(url, {
      serverSelectionTimeoutMS: 10_000,
      ...(dbName ? { dbName } : {}),
    });
    await connection.asPromise();
    return new MongoBatchStore(connection, true, now);
  }

  private get batches() {
    return this.connection.collection<BatchDoc>('batches');
  }

  async createBatch(references: readonly string[], platform?: string): Promise<BatchRecord> {
    const id = randomUUID();
    const items = references.map((reference, index): ItemDoc => ({
      index,
      reference,
      state: 'queued',
      attempts: 0,
      current: 0,
      total: 0,
    }));
    await this.batches.insertOne({
      _id: id,
      ...(platform ? { platform } : {}),
      createdAt: this.now().toISOString(),
      items,
    });
    return this.require(id);
  }

  async getBatch(id: string): Promise<BatchRecord | undefined> {
    const doc = await this.batches.findOne({ _id: id });
    return doc ? toRecord(doc) : undefined;
  }

  async listBatches(): Promise<BatchRecord[]> {
    return (await this.batches.find({}).sort({ createdAt: -1, _id: 1 }).toArray()).map(toRecord);
  }

  async cancelBatch(id: string): Promise<BatchRecord> {
    const at = this.now().toISOString();
    const res = await this.batches.updateOne(
      { _id: id },
      { $set: { 'items.$[q].state': 'cancelled', 'items.$[q].finishedAt': at } },
      { arrayFilters: [{ 'q.state': 'queued' }] },
    );
    if (res.matchedCount === 0) throw DomainError.notFound(`no such batch: ${id}`);
    await this.finishIfDone(id);
    return this.require(id);
  }

  async claimItem(batchId: string, index: number, staleAfterMs: number): Promise<ItemClaim> {
    const now = this.now();
    const staleBefore = new Date(now.getTime() - staleAfterMs).toISOString();
    const at = now.toISOString();
    const res = await this.batches.updateOne(
      {
        _id: batchId,
        items: {
          $elemMatch: {
            index,
            $or: [{ state: 'queued' }, { state: 'running', heartbeatAt: { $lt: staleBefore } }],
          },
        },
      },
      {
        $set: {
          [`items.${index}.state`]: 'running',
          [`items.${index}.current`]: 0,
          [`items.${index}.startedAt`]: at,
          [`items.${index}.heartbeatAt`]: at,
        },
        $inc: { [`items.${index}.attempts`]: 1 },
      },
    );
    const item = (await this.batches.findOne({ _id: batchId }))?.items[index];
    if (!item) throw DomainError.notFound(`no item ${index} in batch ${batchId}`);
    return { claimed: res.modifiedCount > 0, attempts: item.attempts, state: item.state };
  }

  async updateItem(batchId: string, index: number, update: ItemUpdate): Promise<void> {
    const at = this.now().toISOString();
    const ended = update.state === 'done' || update.state === 'failed';
    const set: Record<string, unknown> = {
      [`items.${index}.state`]: update.state,
      [`items.${index}.heartbeatAt`]: at,
      [`items.${index}.finishedAt`]: ended ? at : null,
    };
    if (update.current !== undefined) set[`items.${index}.current`] = update.current;
    if (update.total !== undefined) set[`items.${index}.total`] = update.total;
    if (update.imageId !== undefined) set[`items.${index}.imageId`] = update.imageId;
    if (update.error !== undefined) set[`items.${index}.error`] = update.error;
    const res = await this.batches.updateOne(
      { _id: batchId, items: { $elemMatch: { index, state: { $in: OPEN } } } },
      { $set: set },
    );
    if (
      res.matchedCount === 0 &&
      !(await this.batches.findOne({ _id: batchId, 'items.index': index }))
    ) {
      throw DomainError.notFound(`no item ${index} in batch ${batchId}`);
    }
    await this.finishIfDone(batchId);
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
    if (this.owns) await this.connection.close();
  }

  private async finishIfDone(id: string): Promise<void> {
    await this.batches.updateOne(
      {
        _id: id,
        finishedAt: { $exists: false },
        items: { $not: { $elemMatch: { state: { $in: OPEN } } } },
      },
      { $set: { finishedAt: this.now().toISOString() } },
    );
  }

  private async require(id: string): Promise<BatchRecord> {
    const batch = await this.getBatch(id);
    if (!batch) throw DomainError.notFound(`no such batch: ${id}`);
    return batch;
  }
}

function toRecord(doc: BatchDoc): BatchRecord {
  const items = [...doc.items].sort((a, b) => a.index - b.index).map(toItem);
  const totals = Object.fromEntries(
    BATCH_ITEM_STATES.map((s) => [s, items.filter((i) => i.state === s).length]),
  ) as Record<BatchItemState, number>;
  return {
    id: doc._id,
    ...(doc.platform ? { platform: doc.platform } : {}),
    createdAt: doc.createdAt,
    ...(doc.finishedAt ? { finishedAt: doc.finishedAt } : {}),
    totals,
    items,
  };
}

function toItem(doc: ItemDoc): BatchItemRecord {
  const { heartbeatAt: _heartbeat, error, imageId, startedAt, finishedAt, ...rest } = doc;
  return {
    ...rest,
    ...(imageId ? { imageId } : {}),
    ...(error ? { error: error as BatchItemRecord['error'] & object } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
  };
}
