import { Injectable, Logger } from '@nestjs/common';
import { concatMap, filter, lastValueFrom } from 'rxjs';
import {
  CLAIM_BATCH_ITEM_V1,
  ClaimedBatchItemV1,
  PullEventV1,
  RUN_BATCH_ITEM_V1,
  RunBatchItemV1,
  UPDATE_BATCH_ITEM_V1,
  UpdateBatchItemV1,
} from '@stevedore/contracts';
import { DomainError, ErrorCode, asDomainError } from '@stevedore/domain';
import { internalErrorMessage, logUnexpected } from '@stevedore/observability';
import { Bus } from '@stevedore/messaging';
import { PullImageUseCase } from '../pull-image/pull-image.use-case';
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
 * across replicas and redeliveries), then pull it here as `docker pull` does ({@link PullImageUseCase}),
 * turning the pull's events into the item's progress updates (which are also its heartbeat).
 * A failure re-queues the item with a delay until the retry policy gives up; then the item fails
 * with its last error and the message is parked.
 */
@Injectable()
export class RunBatchItemUseCase {
  private readonly logger = new Logger(RunBatchItemUseCase.name);

  constructor(
    private readonly bus: Bus,
    private readonly pullImage: PullImageUseCase,
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
    const pull$ = this.pullImage.execute({
      reference: item.reference,
      ...(item.platform ? { platform: item.platform } : {}),
    });
    const progress = new ItemProgress();
    const image$ = pull$.pipe(
      concatMap((event) => this.onEvent(item, progress, event)),
      filter((id): id is string => id !== undefined),
    );
    const imageId = await lastValueFrom(image$, { defaultValue: undefined });
    if (!imageId) throw DomainError.internal('the pull ended without an image');
    return imageId;
  }

  /** onEvent updates the item from one pull event; the image's ID when the pull recorded it. */
  private async onEvent(
    item: RunBatchItemV1,
    progress: ItemProgress,
    event: PullEventV1,
  ): Promise<string | undefined> {
    switch (event.type) {
      case 'resolved':
        await this.update(item, { state: 'running', current: 0, total: layersSize(event) });
        return undefined;
      case 'blob':
        if (progress.heartbeat(event))
          void this.update(item, { state: 'running', current: progress.current }).catch(
            () => undefined,
          );
        return undefined;
      case 'image':
        await this.update(item, { state: 'running', current: progress.current });
        return event.image.id;
    }
  }

  private async failed(item: RunBatchItemV1, attempts: number, err: unknown): Promise<void> {
    const known = asDomainError(err);
    const code: ErrorCode = known?.code ?? 'INTERNAL';
    const message = known?.message ?? internalErrorMessage(logUnexpected('batch item', err));
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

/** layersSize is what an item has to download at most: the sum of its layers' sizes. */
function layersSize(event: Extract<PullEventV1, { type: 'resolved' }>): number {
  return event.manifest.layers.reduce((sum, l) => sum + l.size, 0);
}

/** ItemProgress sums an item's downloaded bytes and paces its heartbeats. */
class ItemProgress {
  private readonly done = new Map<string, number>();
  private last = 0;

  get current(): number {
    let total = 0;
    for (const v of this.done.values()) total += v;
    return total;
  }

  /** heartbeat records a blob's progress; true when an update is due. */
  heartbeat(event: { digest: string; current: number }): boolean {
    this.done.set(event.digest, event.current);
    if (Date.now() - this.last < HEARTBEAT_MS) return false;
    this.last = Date.now();
    return true;
  }
}
