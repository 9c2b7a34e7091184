import type { BatchItemState, BatchRecord } from '@stevedore/contracts';

/** BATCH_STORE is the injection token under which a {@link BatchStore} is provided. */
export const BATCH_STORE = Symbol('BatchStore');

/** ItemUpdate is a running item's progress, or the end of its attempt. */
export interface ItemUpdate {
  state: Exclude<BatchItemState, 'cancelled'>;
  current?: number;
  total?: number;
  imageId?: string;
  error?: { code: string; message: string };
}

/** ItemClaim says whether a claim started an attempt, and where the item stands. */
export interface ItemClaim {
  claimed: boolean;
  attempts: number;
  state: BatchItemState;
}

/**
 * BatchStore keeps batch pulls: items move queued → running → done | failed, or back to queued
 * for a retry; a cancelled batch cancels what is still queued. Every method is one transaction.
 */
export interface BatchStore {
  createBatch(references: readonly string[], platform?: string): Promise<BatchRecord>;
  getBatch(id: string): Promise<BatchRecord | undefined>;
  /** listBatches returns every batch, newest first. */
  listBatches(): Promise<BatchRecord[]>;
  /** cancelBatch cancels the queued items; NOT_FOUND for an unknown batch. */
  cancelBatch(id: string): Promise<BatchRecord>;
  /**
   * claimItem moves a queued item to running and counts the attempt; it also takes over a running
   * item whose worker sent no heartbeat (progress update) for `staleAfterMs` — a dead worker's.
   */
  claimItem(batchId: string, index: number, staleAfterMs: number): Promise<ItemClaim>;
  /** updateItem records progress or an attempt's end; NOT_FOUND for an unknown item. */
  updateItem(batchId: string, index: number, update: ItemUpdate): Promise<void>;
  /** acquireLease takes or renews `key` for `holder` until now + `ttlMs` (granted when free, expired or already its own). */
  acquireLease(
    key: string,
    holder: string,
    ttlMs: number,
  ): Promise<{ acquired: boolean; holder: string; expiresAt: string }>;
  /** getLease reads who holds `key` until when; undefined when free or expired. */
  getLease(key: string): Promise<{ holder: string; expiresAt: string } | undefined>;
  /** acquireSlot takes the first free lease among `<scope>#0…<limit-1>`; the key taken, or undefined. */
  acquireSlot(
    scope: string,
    holder: string,
    limit: number,
    ttlMs: number,
  ): Promise<string | undefined>;
  /** releaseLease drops `key` if `holder` holds it. */
  releaseLease(key: string, holder: string): Promise<void>;
  close(): Promise<void>;
}
