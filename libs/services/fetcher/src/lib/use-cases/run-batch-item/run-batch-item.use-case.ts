import { Injectable, Logger } from '@nestjs/common';
import { lastValueFrom, tap } from 'rxjs';
import {
  CLAIM_BATCH_ITEM_V1,
  ClaimedBatchItemV1,
  RECORD_IMAGE_V1,
  RESOLVE_REFERENCE_V1,
  RUN_BATCH_ITEM_V1,
  RecordImageResultV1,
  ResolvedImageV1,
  RunBatchItemV1,
  UPDATE_BATCH_ITEM_V1,
  UpdateBatchItemV1,
  recordRequestFor,
} from '@stevedore/contracts';
import { ErrorCode, isDomainError, parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { FetchBlobsUseCase } from '../fetch-blobs/fetch-blobs.use-case';
import { RetryPolicy } from './retry-policy';

/** A running item whose worker sent nothing for this long is taken to be orphaned. */
export const STALE_AFTER_MS = 30_000;
/** Progress updates (which are also the heartbeat) at most this often. */
const HEARTBEAT_MS = 1_000;
/** Codes a retry cannot fix: the item fails at once. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set([
  'INVALID_ARGUMENT',
  'UNSUPPORTED',
  'DENIED',
  'UNAUTHORIZED',
]);

/**
 * RunBatchItemUseCase runs one attempt at one image of a batch in this fetcher: claim it (once,
 * across replicas and redeliveries), resolve, download the missing blobs here, record the image.
 * A failure re-queues the item with a delay until the retry policy gives up; then the item fails
 * with its last error and the message is parked.
 */
@Injectable()
export class RunBatchItemUseCase {
  private readonly logger = new Logger(RunBatchItemUseCase.name);

  constructor(
    private readonly bus: Bus,
    private readonly fetchBlobs: FetchBlobsUseCase,
    private readonly retry: RetryPolicy,
  ) {}

  async execute(item: RunBatchItemV1): Promise<void> {
    const claim = await this.bus.send<ClaimedBatchItemV1>(CLAIM_BATCH_ITEM_V1, {
      batchId: item.batchId,
      index: item.index,
      staleAfterMs: STALE_AFTER_MS,
    });
    if (!claim.claimed) {
      // Running elsewhere: look again once that worker would count as dead, in case it is.
      if (claim.state === 'running')
        await this.bus.emit(RUN_BATCH_ITEM_V1, item, { delayMs: STALE_AFTER_MS });
      return;
    }
    this.logger.log(`batch ${item.batchId} item ${item.index}: attempt ${claim.attempts} started`);
    try {
      const imageId = await this.pull(item);
      await this.update(item, { state: 'done', imageId });
    } catch (err) {
      await this.failed(item, claim.attempts, err);
    }
  }

  private async pull(item: RunBatchItemV1): Promise<string> {
    const ref = parseReference(item.reference);
    const resolved = await this.bus.send<ResolvedImageV1>(
      RESOLVE_REFERENCE_V1,
      { reference: ref.toString(), ...(item.platform ? { platform: item.platform } : {}) },
      { timeoutMs: 120_000 },
    );
    const layers = resolved.manifest.layers;
    const total = layers.reduce((sum, l) => sum + l.size, 0);
    const done = new Map<string, number>();
    let last = 0;
    await this.update(item, { state: 'running', current: 0, total });
    const progress$ = this.fetchBlobs
      .execute({ reference: resolved.reference, blobs: layers })
      .pipe(
        tap((p) => {
          done.set(p.digest, p.current);
          if (Date.now() - last < HEARTBEAT_MS) return;
          last = Date.now();
          void this.update(item, { state: 'running', current: sum(done) }).catch(() => undefined);
        }),
      );
    await lastValueFrom(progress$, { defaultValue: undefined });
    await this.update(item, { state: 'running', current: sum(done) });
    const recorded = await this.bus.send<RecordImageResultV1>(
      RECORD_IMAGE_V1,
      recordRequestFor(ref, resolved),
    );
    return recorded.image.id;
  }

  private async failed(item: RunBatchItemV1, attempts: number, err: unknown): Promise<void> {
    const code: ErrorCode = isDomainError(err) ? err.code : 'INTERNAL';
    const message = isDomainError(err) ? err.message : 'internal error';
    const error = { errorCode: code, errorMessage: message };
    const delayMs = PERMANENT.has(code) ? undefined : this.retry.delayAfter(attempts);
    if (delayMs === undefined) {
      this.logger.warn({
        msg: 'batch item failed',
        batchId: item.batchId,
        index: item.index,
        code,
        attempts,
      });
      await this.update(item, { state: 'failed', ...error });
      await this.bus.park(RUN_BATCH_ITEM_V1, item);
      return;
    }
    await this.update(item, { state: 'queued', ...error });
    await this.bus.emit(RUN_BATCH_ITEM_V1, item, { delayMs });
  }

  private async update(
    item: RunBatchItemV1,
    change: Omit<UpdateBatchItemV1, 'batchId' | 'index'>,
  ): Promise<void> {
    await this.bus.send(UPDATE_BATCH_ITEM_V1, {
      batchId: item.batchId,
      index: item.index,
      ...change,
    });
  }
}

function sum(values: Map<string, number>): number {
  let total = 0;
  for (const v of values.values()) total += v;
  return total;
}
