import type { ErrorCode } from '@stevedore/domain';

/** BatchItemState is where one image of a batch stands. */
export type BatchItemState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** BATCH_ITEM_STATES lists every {@link BatchItemState}, for validation. */
export const BATCH_ITEM_STATES: readonly BatchItemState[] = [
  'queued',
  'running',
  'done',
  'failed',
  'cancelled',
];

/** BatchItemRecord is one image of a batch pull. */
export interface BatchItemRecord {
  /** Position in the batch, from 0. */
  index: number;
  /** The fully qualified reference to pull. */
  reference: string;
  state: BatchItemState;
  /** Attempts started so far (a retried item counts each). */
  attempts: number;
  /** Bytes downloaded by the current or last attempt, and the image's total when known. */
  current: number;
  total: number;
  /** The image ID once done. */
  imageId?: string;
  /** The last error (kept while a retry is queued, and on a failed item). */
  error?: { code: ErrorCode; message: string };
  /** ISO 8601 times the last attempt started and the item ended. */
  startedAt?: string;
  finishedAt?: string;
}

/** BatchRecord is a batch pull: its items, totals and timings. */
export interface BatchRecord {
  id: string;
  platform?: string;
  createdAt: string;
  /** Set once no item is queued or running. */
  finishedAt?: string;
  totals: Record<BatchItemState, number>;
  items: BatchItemRecord[];
}
