import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  ACQUIRE_DOWNLOAD_V1,
  AcquireDownloadV1,
  BACK_OFF_DOWNLOADS_V1,
  DownloadGrantV1,
  RELEASE_DOWNLOAD_V1,
  ReleaseDownloadV1,
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
 * costs one message (granted, or refused with how long to wait); ending it costs none of its own
 * when another download starts right after (its release rides on that one's request), else one
 * message that nobody waits for. Only a download that outlasts a third of the lease's life sends
 * renewals. When a registry asks this replica to slow down, it holds every replica's new
 * downloads there.
 */
@Injectable()
export class BusDownloadGate implements DownloadGate, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(BusDownloadGate.name);
  /** Who this process is to the lease table; each download adds its own suffix. */
  private readonly holderPrefix = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private unsubscribe: (() => void) | undefined;
  /** Grants given back since the last message to metadata: the next acquire carries them. */
  private releases: ReleaseDownloadV1[] = [];
  private flush: NodeJS.Immediate | undefined;

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
    this.sendReleases();
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
      const grant = await this.ask(request);
      if (grant.granted) return this.keepUnlessCalledOff(request, grant.slot, signal);
      await pause(grant.retryAfterMs, signal);
    }
    throw new DomainError('UNAVAILABLE', `gave up waiting for a turn to download ${digest}`);
  }

  /** ask sends one acquire, carrying the releases pending; if it fails they go on their own. */
  private async ask(request: AcquireDownloadV1): Promise<DownloadGrantV1> {
    const releases = this.releases.splice(0);
    const carrying = releases.length ? { ...request, releases } : request;
    try {
      return await this.bus.send<DownloadGrantV1>(ACQUIRE_DOWNLOAD_V1, carrying);
    } catch (err) {
      for (const release of releases) this.giveBack(release);
      throw err;
    }
  }

  /**
   * giveBack queues a grant's release for the next acquire of this process, which a worker that
   * just finished a blob sends within the same turn of the event loop; when none does, the
   * release goes alone on the next turn. Metadata releases before it grants, so the freed slot
   * serves the next blob.
   */
  private giveBack(release: ReleaseDownloadV1): void {
    this.releases.push(release);
    this.flush ??= setImmediate(() => this.sendReleases());
  }

  /** sendReleases sends what no acquire carried; one that does not arrive only waits out its ttl. */
  private sendReleases(): void {
    if (this.flush) clearImmediate(this.flush);
    this.flush = undefined;
    for (const release of this.releases.splice(0))
      this.bus
        .send(RELEASE_DOWNLOAD_V1, release)
        .catch((err: unknown) =>
          this.logger.warn({ msg: 'a download release did not arrive', slot: release.slot, err }),
        );
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
        this.giveBack({ digest, holder, slot });
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
