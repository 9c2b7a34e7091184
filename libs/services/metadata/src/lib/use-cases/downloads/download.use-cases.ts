import { Inject, Injectable } from '@nestjs/common';
import type {
  AcquireDownloadV1,
  BackOffDownloadsV1,
  DownloadGrantV1,
  ReleaseDownloadV1,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { BATCH_STORE, BatchStore } from '@stevedore/metadata-store';
import { Clock } from '../../support/clock';

/** How soon a fetcher asks again while another one downloads the blob (it may commit any moment). */
export const BLOB_BUSY_RETRY_MS = 250;
/** How soon a fetcher asks again for a slot of a registry whose slots are all taken. */
export const SLOTS_BUSY_RETRY_MS = 200;
/** The longest single wait on a back-off before asking again (it may be lifted or extended). */
export const BACKOFF_STEP_MS = 5_000;
const BACKOFF_HOLDER = 'rate-limit';

const blobKey = (digest: string) => `blob:${digest}`;
const backoffKey = (registry: string) => `backoff:${registry}`;
const slotScope = (registry: string) => `upstream:${registry}`;

/** slotOf checks that a fetcher hands back a slot key, not some other lease it could clear or keep. */
function slotOf(slot: string): string {
  if (!slot.startsWith('upstream:'))
    throw DomainError.invalidArgument(`not a download slot: ${slot}`);
  return slot;
}

/**
 * AcquireDownloadUseCase answers a fetcher that wants to download a blob with everything the
 * fetchers share at once — the registry's back-off, the blob's lease (one downloader across
 * replicas) and one of the registry's download slots — so a download costs one round trip to
 * start, not one per lock. A grant holds both leases; a refusal holds nothing and says how long
 * to wait. A request naming its slot renews a grant, whatever the back-off says meanwhile.
 */
@Injectable()
export class AcquireDownloadUseCase {
  constructor(
    @Inject(BATCH_STORE) private readonly store: BatchStore,
    private readonly clock: Clock,
  ) {}

  async execute(request: AcquireDownloadV1): Promise<DownloadGrantV1> {
    // Handed back before asking, so the slot a finished download frees is free for this one.
    for (const release of request.releases ?? []) await releaseGrant(this.store, release);
    if (request.slot) return this.renew(request, slotOf(request.slot));
    const backoff = await this.store.getLease(backoffKey(request.registry));
    const wait = backoff ? Date.parse(backoff.expiresAt) - this.clock.now().getTime() : 0;
    if (wait > 0)
      return { granted: false, reason: 'backoff', retryAfterMs: Math.min(wait, BACKOFF_STEP_MS) };
    const { holder, ttlMs } = request;
    const blob = await this.store.acquireLease(blobKey(request.digest), holder, ttlMs);
    if (!blob.acquired)
      return { granted: false, reason: 'downloading', retryAfterMs: BLOB_BUSY_RETRY_MS };
    const scope = slotScope(request.registry);
    const slot = await this.store.acquireSlot(scope, holder, request.limit, ttlMs);
    if (slot) return { granted: true, slot };
    // Refused holds nothing: the blob's lease goes back until a slot is free.
    await this.store.releaseLease(blobKey(request.digest), holder);
    return { granted: false, reason: 'slots', retryAfterMs: SLOTS_BUSY_RETRY_MS };
  }

  private async renew(request: AcquireDownloadV1, slot: string): Promise<DownloadGrantV1> {
    const { holder, ttlMs } = request;
    const blob = await this.store.acquireLease(blobKey(request.digest), holder, ttlMs);
    const kept = await this.store.acquireLease(slot, holder, ttlMs);
    return blob.acquired && kept.acquired
      ? { granted: true, slot }
      : { granted: false, reason: 'downloading', retryAfterMs: BLOB_BUSY_RETRY_MS };
  }
}

/** ReleaseDownloadUseCase gives back what a grant held: the blob's lease and the slot. */
@Injectable()
export class ReleaseDownloadUseCase {
  constructor(@Inject(BATCH_STORE) private readonly store: BatchStore) {}

  execute(request: ReleaseDownloadV1): Promise<void> {
    return releaseGrant(this.store, request);
  }
}

/** releaseGrant gives back the blob's lease and the slot of one grant. */
async function releaseGrant(store: BatchStore, request: ReleaseDownloadV1): Promise<void> {
  await store.releaseLease(blobKey(request.digest), request.holder);
  await store.releaseLease(slotOf(request.slot), request.holder);
}

/** BackOffDownloadsUseCase holds every fetcher's new downloads from a registry that asked to slow down. */
@Injectable()
export class BackOffDownloadsUseCase {
  constructor(@Inject(BATCH_STORE) private readonly store: BatchStore) {}

  async execute(request: BackOffDownloadsV1): Promise<void> {
    await this.store.acquireLease(backoffKey(request.registry), BACKOFF_HOLDER, request.ms);
  }
}

export const DOWNLOAD_USE_CASES = [
  AcquireDownloadUseCase,
  ReleaseDownloadUseCase,
  BackOffDownloadsUseCase,
];
