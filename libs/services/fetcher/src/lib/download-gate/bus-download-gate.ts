import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  ACQUIRE_DOWNLOAD_V1,
  AcquireDownloadV1,
  BACK_OFF_DOWNLOADS_V1,
  DownloadGrantV1,
  RELEASE_DOWNLOAD_V1,
} from '@stevedore/contracts';
import { Digest, DomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import {
  RateLimitSignal,
  RateLimitSignals,
  UPSTREAM_CONCURRENCY,
} from '@stevedore/registry-client';
import { pause } from '../abortable';
import { DownloadGate, DownloadPermit, GATE_WAIT_LIMIT_MS, backoffMs } from './download-gate';

/** A grant outlives a dead fetcher by at most this long; a live one renews it every third of it. */
export const DOWNLOAD_TTL_MS = 15_000;

/**
 * BusDownloadGate is the {@link DownloadGate} of fetcher replicas: the metadata service keeps the
 * blob leases, the registry slots and the back-offs that all replicas share. Starting a download
 * costs one message (granted, or refused with how long to wait), ending it one more; only a
 * download that outlasts a third of the lease's life sends renewals. When a registry asks this
 * replica to slow down, it holds every replica's new downloads there.
 */
@Injectable()
export class BusDownloadGate implements DownloadGate, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(BusDownloadGate.name);
  /** Who this process is to the lease table; each download adds its own suffix. */
  private readonly holderPrefix = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly signals: RateLimitSignals,
    @Inject(UPSTREAM_CONCURRENCY) private readonly limit: number,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.signals.subscribe((signal) => void this.backOff(signal));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async enter(digest: Digest, registry: string, signal?: AbortSignal): Promise<DownloadPermit> {
    const request: AcquireDownloadV1 = {
      digest: digest.toString(),
      registry,
      holder: `${this.holderPrefix}/${randomUUID().slice(0, 8)}`,
      limit: this.limit,
      ttlMs: DOWNLOAD_TTL_MS,
    };
    for (const deadline = Date.now() + GATE_WAIT_LIMIT_MS; Date.now() < deadline;) {
      signal?.throwIfAborted();
      const grant = await this.bus.send<DownloadGrantV1>(ACQUIRE_DOWNLOAD_V1, request);
      if (grant.granted) return this.keepUnlessCalledOff(request, grant.slot, signal);
      await pause(grant.retryAfterMs, signal);
    }
    throw new DomainError('UNAVAILABLE', `gave up waiting for a turn to download ${digest}`);
  }

  /** A grant that arrived after its download was called off goes straight back. */
  private async keepUnlessCalledOff(
    request: AcquireDownloadV1,
    slot: string,
    signal?: AbortSignal,
  ): Promise<DownloadPermit> {
    const permit = this.keep(request, slot);
    if (signal?.aborted) await permit.release();
    signal?.throwIfAborted();
    return permit;
  }

  /** keep renews a grant while its download runs, until the permit is released. */
  private keep(request: AcquireDownloadV1, slot: string): DownloadPermit {
    const renewal = { ...request, slot };
    const timer = setInterval(() => {
      this.bus.send<DownloadGrantV1>(ACQUIRE_DOWNLOAD_V1, renewal).then(
        (grant) => grant.granted || this.logger.warn({ msg: 'lost a download lease', slot }),
        () => undefined,
      );
    }, DOWNLOAD_TTL_MS / 3);
    const { digest, holder } = request;
    return {
      release: async () => {
        clearInterval(timer);
        // A release that does not arrive only delays the others by the lease's expiry.
        await this.bus.send(RELEASE_DOWNLOAD_V1, { digest, holder, slot }).catch(() => undefined);
      },
    };
  }

  private async backOff(signal: RateLimitSignal): Promise<void> {
    this.logger.warn({
      msg: 'registry asked to slow down; pausing every fetcher',
      registry: signal.host,
      retryAfterMs: signal.retryAfterMs,
    });
    const ms = backoffMs(signal.retryAfterMs);
    await this.bus
      .send(BACK_OFF_DOWNLOADS_V1, { registry: signal.host, ms })
      .catch(() => undefined);
  }
}
